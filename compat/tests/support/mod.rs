pub mod expected_findings;
pub mod fixture_cases;
pub mod protobuf_cases;
