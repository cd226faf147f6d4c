//! Response shapes Confluent 7.9 gives (spec §1.1, §1.10, §7.1).

use serde_json::json;

use crate::server::Server;

#[test]
fn cluster_id_names_both_clusters() {
    let server = Server::start();
    let clusters = &server.get("/v1/metadata/id").body["scope"]["clusters"];
    let mut keys: Vec<&String> = clusters.as_object().expect("clusters").keys().collect();
    keys.sort();
    assert_eq!(keys, ["kafka-cluster", "schema-registry-cluster"]);
}

#[test]
fn a_rule_set_is_accepted_but_neither_kept_nor_part_of_identity() {
    let server = Server::start();
    let plain = server.register("a", "\"string\"");
    let rules = json!({"domainRules": [{"name": "checkSsn", "kind": "CONDITION", "mode": "WRITE", "type": "CEL", "expr": "true"}]});
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"string\"", "ruleSet": rules}).to_string(),
    );
    assert_eq!((reply.status, reply.body), (200, json!({"id": plain})));
    let version = server.get("/subjects/s/versions/1").body;
    assert_eq!(
        version,
        json!({"subject": "s", "version": 1, "id": plain, "schema": "\"string\""})
    );
}
