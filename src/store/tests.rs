use super::{frame, Store, LOG};
use crate::records::{DeleteSubjectValue, Record, RecordKey, SchemaValue};

fn schema(subject: &str, version: i32) -> Record {
    let text = format!("{{\"type\":\"fixed\",\"name\":\"F\",\"size\":{version}}}");
    let value = SchemaValue::new(subject, version, version, &text);
    Record::Schema(subject.to_owned(), version, Some(value))
}

fn marker(subject: &str, version: i32) -> Record {
    let value = DeleteSubjectValue {
        subject: subject.to_owned(),
        version,
    };
    Record::DeleteSubject(subject.to_owned(), Some(value))
}

fn replayed(store: &Store) -> Vec<Record> {
    let mut replayed = Vec::new();
    store
        .replay(|record| record, |record| replayed.push(record))
        .unwrap();
    replayed
}

/// Many batches, decoded on either thread: every record arrives once, in
/// the order of the positions it was written at, whatever its key.
#[test]
fn replay_delivers_every_record_once_in_log_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut written: Vec<Record> = (0..5_000)
        .map(|n| schema(&format!("s{:05}", 5_000 - n), 1 + n % 7))
        .collect();
    written.push(marker("s00001", 3));
    store.write((1..).zip(&written), true).unwrap();

    assert_eq!(replayed(&store), written);
    assert_eq!(store.last_position().unwrap(), Some(5_001));
}

/// As a compacted topic: a rewritten key is replayed once, at its last
/// position, and a tombstone removes it, in one batch or across batches.
#[test]
fn a_key_replays_at_its_last_write_and_tombstones_remove_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (a, b, c) = (schema("a", 1), schema("b", 1), schema("c", 1));
    let mut deleted_a = schema("a", 1);
    if let Record::Schema(_, _, Some(value)) = &mut deleted_a {
        value.deleted = true;
    }
    let gone_b = Record::Schema("b".into(), 1, None);
    store.write([(1, &a), (2, &b)], true).unwrap();
    store
        .write([(3, &c), (4, &deleted_a), (5, &gone_b)], true)
        .unwrap();
    assert_eq!(replayed(&store), vec![c.clone(), deleted_a.clone()]);

    store.write([(6, &b), (7, &gone_b), (8, &a)], true).unwrap();
    assert_eq!(replayed(&store), vec![c, a]);
    assert_eq!(store.last_position().unwrap(), Some(8));
}

/// A value that does not decode stops the replay with an error naming it,
/// wherever it lies: before many batches still to read (the reading and
/// decoding threads must stop, not wait for the caller forever) or after
/// them.
#[test]
fn replay_stops_at_a_corrupt_value() {
    for corrupt in [1, 20_000] {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let written: Vec<_> = (0..20_000)
            .map(|n| schema(&format!("s{n:05}"), 1))
            .collect();
        store.write((1..).zip(&written), true).unwrap();
        let key = serde_json::to_vec(&RecordKey::schema("s00000", 1)).unwrap();
        let position: u64 = corrupt;
        store
            .db
            .put_cf(
                store.cf(LOG),
                position.to_be_bytes(),
                frame::encode(&key, b"{not json"),
            )
            .unwrap();

        let mut applied = 0;
        let outcome = store.replay(|record| record, |_| applied += 1);
        let error = outcome.expect_err("corrupt").0;
        assert!(error.starts_with("corrupt record value"), "{error}");
        assert!(applied < written.len(), "{corrupt}: {applied}");
    }
}

/// A data dir of the earlier layout (one `records` family in key order) is
/// moved into the log once, in the order it used to replay in: delete
/// markers after the versions they mark.
#[test]
fn a_data_dir_in_key_order_is_moved_into_log_order() {
    let dir = tempfile::tempdir().unwrap();
    let versions: Vec<Record> = (1..=3)
        .flat_map(|v| [schema("a", v), schema("b", v)])
        .collect();
    let markers = [marker("a", 2), marker("b", 3)];
    {
        let mut options = rocksdb::Options::default();
        options.create_if_missing(true);
        options.create_missing_column_families(true);
        let db = rocksdb::DB::open_cf(&options, dir.path(), ["records"]).unwrap();
        let cf = db.cf_handle("records").unwrap();
        for record in versions.iter().chain(&markers) {
            let key = serde_json::to_vec(&record.key()).unwrap();
            db.put_cf(cf, key, record.value_json().unwrap()).unwrap();
        }
    }

    let mut expected = versions.clone();
    expected.sort_by_key(|r| serde_json::to_vec(&r.key()).unwrap());
    expected.extend(markers.iter().cloned());
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(replayed(&store), expected);
    assert_eq!(store.last_position().unwrap(), Some(8));
    drop(store);

    let families = rocksdb::DB::list_cf(&rocksdb::Options::default(), dir.path()).unwrap();
    assert!(!families.contains(&"records".to_owned()), "{families:?}");
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(replayed(&store), expected, "and stays so after a reopen");
}
