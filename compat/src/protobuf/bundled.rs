//! Files Confluent resolves without a reference (its `KNOWN_DEPENDENCIES`
//! besides the `google/protobuf` well-known types, which protox ships):
//! Confluent's own types and Google's common `google/type` messages.

/// The bundled files by import path.
const FILES: &[(&str, &str)] = &[
    (
        "confluent/meta.proto",
        include_str!("bundled/confluent/meta.proto"),
    ),
    (
        "confluent/type/decimal.proto",
        include_str!("bundled/confluent/type/decimal.proto"),
    ),
    (
        "google/type/calendar_period.proto",
        include_str!("bundled/google/type/calendar_period.proto"),
    ),
    (
        "google/type/color.proto",
        include_str!("bundled/google/type/color.proto"),
    ),
    (
        "google/type/date.proto",
        include_str!("bundled/google/type/date.proto"),
    ),
    (
        "google/type/datetime.proto",
        include_str!("bundled/google/type/datetime.proto"),
    ),
    (
        "google/type/dayofweek.proto",
        include_str!("bundled/google/type/dayofweek.proto"),
    ),
    (
        "google/type/decimal.proto",
        include_str!("bundled/google/type/decimal.proto"),
    ),
    (
        "google/type/expr.proto",
        include_str!("bundled/google/type/expr.proto"),
    ),
    (
        "google/type/fraction.proto",
        include_str!("bundled/google/type/fraction.proto"),
    ),
    (
        "google/type/interval.proto",
        include_str!("bundled/google/type/interval.proto"),
    ),
    (
        "google/type/latlng.proto",
        include_str!("bundled/google/type/latlng.proto"),
    ),
    (
        "google/type/localized_text.proto",
        include_str!("bundled/google/type/localized_text.proto"),
    ),
    (
        "google/type/money.proto",
        include_str!("bundled/google/type/money.proto"),
    ),
    (
        "google/type/month.proto",
        include_str!("bundled/google/type/month.proto"),
    ),
    (
        "google/type/phone_number.proto",
        include_str!("bundled/google/type/phone_number.proto"),
    ),
    (
        "google/type/postal_address.proto",
        include_str!("bundled/google/type/postal_address.proto"),
    ),
    (
        "google/type/quaternion.proto",
        include_str!("bundled/google/type/quaternion.proto"),
    ),
    (
        "google/type/timeofday.proto",
        include_str!("bundled/google/type/timeofday.proto"),
    ),
];

/// The text of a bundled file, by import path.
pub(super) fn source(name: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(path, _)| *path == name)
        .map(|(_, text)| *text)
}
