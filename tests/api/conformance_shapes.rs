//! Response shapes Confluent 7.9 gives (spec §1.1, §1.10, §7.1).

use crate::server::Server;

#[test]
fn cluster_id_names_both_clusters() {
    let server = Server::start();
    let clusters = &server.get("/v1/metadata/id").body["scope"]["clusters"];
    let mut keys: Vec<&String> = clusters.as_object().expect("clusters").keys().collect();
    keys.sort();
    assert_eq!(keys, ["kafka-cluster", "schema-registry-cluster"]);
}
