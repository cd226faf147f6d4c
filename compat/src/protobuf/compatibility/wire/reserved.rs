//! `RESERVED_MESSAGE_NO_DELETE` / `RESERVED_ENUM_NO_DELETE`: every number
//! of a previously reserved range must still be reserved, every reserved
//! name still present.

/// An inclusive number range.
pub(super) type Range = (i64, i64);

/// Parts of `previous` ranges not covered by `current`, each with the
/// previous range it came from.
pub(super) fn missing_ranges(previous: &[Range], current: &[Range]) -> Vec<(Range, Vec<Range>)> {
    let covered = collapse(current);
    previous
        .iter()
        .filter_map(|&range| {
            let missing = uncovered(range, &covered);
            (!missing.is_empty()).then_some((range, missing))
        })
        .collect()
}

/// Sorted, with overlapping and adjacent ranges merged.
fn collapse(ranges: &[Range]) -> Vec<Range> {
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable();
    let mut merged: Vec<Range> = Vec::new();
    for (start, end) in sorted {
        match merged.last_mut() {
            Some(last) if start <= last.1 + 1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

fn uncovered((start, end): Range, covered: &[Range]) -> Vec<Range> {
    let mut missing = Vec::new();
    let mut next = start;
    for &(c_start, c_end) in covered {
        if c_end < next || c_start > end {
            continue;
        }
        if c_start > next {
            missing.push((next, c_start - 1));
        }
        next = c_end + 1;
        if next > end {
            return missing;
        }
    }
    if next <= end {
        missing.push((next, end));
    }
    missing
}

pub(super) fn range_text((start, end): Range, max: i64) -> String {
    if start == end {
        format!("[{start}]")
    } else if end == max {
        format!("[{start},max]")
    } else {
        format!("[{start},{end}]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_split_by_a_still_reserved_part_reports_both_ends() {
        assert_eq!(
            missing_ranges(&[(1, 10)], &[(3, 4), (5, 6)]),
            [((1, 10), vec![(1, 2), (7, 10)])]
        );
    }

    #[test]
    fn a_range_still_covered_by_adjacent_ranges_is_not_reported() {
        assert!(missing_ranges(&[(1, 10)], &[(6, 10), (1, 5)]).is_empty());
    }
}
