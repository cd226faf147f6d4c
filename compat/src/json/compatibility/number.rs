//! `NumberSchemaDiff`: bounds, `multipleOf`, and integer versus number.

use super::context::Path;
use super::DifferenceType::{self, *};
use crate::json::schema::{Bound, NumberSchema};

pub(super) fn compare(path: &mut Path, original: &NumberSchema, update: &NumberSchema) {
    let maximum = [
        MAXIMUM_ADDED,
        MAXIMUM_REMOVED,
        MAXIMUM_INCREASED,
        MAXIMUM_DECREASED,
    ];
    bound(path, "maximum", &original.maximum, &update.maximum, maximum);
    let minimum = [
        MINIMUM_ADDED,
        MINIMUM_REMOVED,
        MINIMUM_INCREASED,
        MINIMUM_DECREASED,
    ];
    bound(path, "minimum", &original.minimum, &update.minimum, minimum);
    let exclusive_maximum = [
        EXCLUSIVE_MAXIMUM_ADDED,
        EXCLUSIVE_MAXIMUM_REMOVED,
        EXCLUSIVE_MAXIMUM_INCREASED,
        EXCLUSIVE_MAXIMUM_DECREASED,
    ];
    bound(
        path,
        "exclusiveMaximum",
        &original.exclusive_maximum,
        &update.exclusive_maximum,
        exclusive_maximum,
    );
    let exclusive_minimum = [
        EXCLUSIVE_MINIMUM_ADDED,
        EXCLUSIVE_MINIMUM_REMOVED,
        EXCLUSIVE_MINIMUM_INCREASED,
        EXCLUSIVE_MINIMUM_DECREASED,
    ];
    bound(
        path,
        "exclusiveMinimum",
        &original.exclusive_minimum,
        &update.exclusive_minimum,
        exclusive_minimum,
    );
    multiple_of(path, &original.multiple_of, &update.multiple_of);
    integer_or_number(path, original.requires_integer, update.requires_integer);
}

/// `*_ADDED` / `*_REMOVED` / `*_INCREASED` / `*_DECREASED` of a numeric
/// bound, compared as doubles like Confluent. (Confluent compares a lowered
/// `exclusiveMaximum` against the update's `maximum`, a slip that throws
/// when there is none; the intended comparison is made here.)
fn bound(
    path: &mut Path,
    keyword: &str,
    original: &Option<Bound>,
    update: &Option<Bound>,
    [added, removed, increased, decreased]: [DifferenceType; 4],
) {
    match (original, update) {
        (None, Some(_)) => path.add_at(keyword, added),
        (Some(_), None) => path.add_at(keyword, removed),
        (Some(o), Some(u)) if o.value < u.value => path.add_at(keyword, increased),
        (Some(o), Some(u)) if o.value > u.value => path.add_at(keyword, decreased),
        _ => {}
    }
}

/// MULTIPLE_OF_ADDED / REMOVED / EXPANDED (the update's is a multiple of
/// the original's: fewer values) / REDUCED (the converse) / CHANGED,
/// compared exactly as `BigDecimal`s.
fn multiple_of(path: &mut Path, original: &Option<Bound>, update: &Option<Bound>) {
    let (o, u) = match (original, update) {
        (None, None) => return,
        (None, Some(_)) => return path.add_at("multipleOf", MULTIPLE_OF_ADDED),
        (Some(_), None) => return path.add_at("multipleOf", MULTIPLE_OF_REMOVED),
        (Some(o), Some(u)) => (Decimal::parse(&o.text), Decimal::parse(&u.text)),
    };
    let (Some(o), Some(u)) = (o, u) else {
        return;
    };
    if o.equals(&u) {
        return;
    }
    if !o.is_zero() && u.is_multiple_of(&o) {
        path.add_at("multipleOf", MULTIPLE_OF_EXPANDED);
    } else if !u.is_zero() && o.is_multiple_of(&u) {
        path.add_at("multipleOf", MULTIPLE_OF_REDUCED);
    } else {
        path.add_at("multipleOf", MULTIPLE_OF_CHANGED);
    }
}

/// TYPE_EXTENDED (integer → number) / TYPE_NARROWED (number → integer).
fn integer_or_number(path: &mut Path, original_integer: bool, update_integer: bool) {
    match (original_integer, update_integer) {
        (true, false) => path.add(TYPE_EXTENDED),
        (false, true) => path.add(TYPE_NARROWED),
        _ => {}
    }
}

/// An exact decimal `coefficient × 10^exponent`, enough for `multipleOf`.
struct Decimal {
    coefficient: u128,
    exponent: i32,
}

impl Decimal {
    /// Reads Jackson's number text (`10`, `0.5`, `1E+2`); `None` past
    /// `u128` (such a `multipleOf` is then not compared).
    fn parse(text: &str) -> Option<Decimal> {
        let text = text.trim_start_matches('-');
        let (mantissa, exponent) = match text.split_once(['e', 'E']) {
            Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let coefficient = format!("{whole}{fraction}").parse::<u128>().ok()?;
        Some(Decimal {
            coefficient,
            exponent: exponent - fraction.len() as i32,
        })
    }

    fn is_zero(&self) -> bool {
        self.coefficient == 0
    }

    /// Both coefficients at the smaller exponent, if they fit.
    fn aligned(&self, other: &Decimal) -> Option<(u128, u128)> {
        let exponent = self.exponent.min(other.exponent);
        let scale = |d: &Decimal| {
            10u128
                .checked_pow(u32::try_from(d.exponent - exponent).ok()?)
                .and_then(|f| d.coefficient.checked_mul(f))
        };
        Some((scale(self)?, scale(other)?))
    }

    fn equals(&self, other: &Decimal) -> bool {
        self.aligned(other).is_some_and(|(a, b)| a == b)
    }

    fn is_multiple_of(&self, other: &Decimal) -> bool {
        self.aligned(other)
            .is_some_and(|(a, b)| b != 0 && a % b == 0)
    }
}
