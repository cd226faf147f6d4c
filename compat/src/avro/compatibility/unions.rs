//! MISSING_UNION_BRANCH and the splitting of writer unions: a union on either
//! side is resolved branch by branch.

use super::checker::{Checker, Outcome, Token};
use super::incompatibility::IncompatibilityType;
use crate::avro::NodeId;

impl Checker<'_> {
    /// Both sides are unions: each writer branch must be accepted by some
    /// reader branch. The probe's own findings are discarded, so a deep
    /// problem (a record in the union gained a field without default)
    /// surfaces only as MISSING_UNION_BRANCH at `<loc>/<branch index>`.
    pub(super) fn missing_union_branches(
        &mut self,
        reader_union: NodeId,
        writer_branches: &[NodeId],
    ) -> Outcome {
        let mut found = Vec::new();
        for (index, &branch) in writer_branches.iter().enumerate() {
            self.within(Token::Index(index), |c| {
                if !c.probe(reader_union, branch)? {
                    found.push(c.report(
                        IncompatibilityType::MissingUnionBranch,
                        lacking_writer_type(c, branch),
                    ));
                }
                Ok(())
            })?;
        }
        Ok(found)
    }

    /// Only the reader is a union: the first branch that accepts the writer
    /// (promotions included) settles it; if none does, MISSING_UNION_BRANCH
    /// at the current location, without a branch index.
    pub(super) fn missing_union_branch_for_writer(
        &mut self,
        reader_branches: &[NodeId],
        writer: NodeId,
    ) -> Outcome {
        for &branch in reader_branches {
            if self.probe(branch, writer)? {
                return Ok(Vec::new());
            }
        }
        let message = lacking_writer_type(self, writer);
        Ok(vec![
            self.report(IncompatibilityType::MissingUnionBranch, message)
        ])
    }

    /// Only the writer is a union: the reader must read every branch; each
    /// is checked in full at `<loc>/<branch index>` (Avro ≥ 1.11.3).
    pub(super) fn every_writer_branch_readable(
        &mut self,
        reader: NodeId,
        writer_branches: &[NodeId],
    ) -> Outcome {
        let mut found = Vec::new();
        for (index, &branch) in writer_branches.iter().enumerate() {
            found.extend(self.visit(Token::Index(index), reader, branch)?);
        }
        Ok(found)
    }
}

fn lacking_writer_type(checker: &Checker<'_>, writer: NodeId) -> String {
    format!(
        "reader union lacking writer type: {}",
        checker.writer.node(writer).kind.type_name()
    )
}
