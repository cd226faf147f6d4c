//! The synthetic data set shared by `preload` and the wrk scripts in
//! `bench/*.lua`: subject `s` (0-based) holds versions 1..=M, version `v` of
//! subject `s` has id `s * M + v`, and its schema is [`schema_text`]. The Lua
//! scripts rebuild the same text, so keep the two in step.

/// The subject name of subject number `s`: fixed width, so every response
/// about any subject has the same length as the baseline's.
pub fn subject_name(s: u64) -> String {
    format!("bench-{s:06}-value")
}

/// The schema of version `v` (1-based) of subject `s`, in the compact form
/// treaty stores for it (what registration of this text would store).
pub fn schema_text(s: u64, v: u64) -> String {
    format!(
        concat!(
            r#"{{"type":"record","name":"Order","namespace":"bench.s{s:06}","fields":["#,
            r#"{{"name":"id","type":"long"}},{{"name":"customer","type":"string"}},"#,
            r#"{{"name":"amount","type":"double"}},"#,
            r#"{{"name":"note","type":["null","string"],"default":null}},"#,
            r#"{{"name":"v{v:02}","type":"int","default":0}}]}}"#
        ),
        s = s,
        v = v
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_is_compact_json() {
        let text = super::schema_text(7, 3);
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&parsed).unwrap(), text);
        assert!(text.contains("bench.s000007") && text.contains("\"v03\""));
    }
}
