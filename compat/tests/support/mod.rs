pub mod protobuf_cases;
