#![no_main]
//! Parse, canonical/normalized text, re-parse and FULL_TRANSITIVE checks
//! both ways on two schema texts; see compat/tests/support/fuzz_roundtrip.rs.

use libfuzzer_sys::fuzz_target;
use treaty_compat::SchemaType;

#[path = "../../compat/tests/support/fuzz_roundtrip.rs"]
mod fuzz_roundtrip;

fuzz_target!(|data: &[u8]| fuzz_roundtrip::run(SchemaType::Avro, data));
