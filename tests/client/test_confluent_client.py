"""Real-client tests: confluent-kafka's Python schema registry client and its
Avro serializer/deserializer against a freshly started `treaty serve`.

The client caches (subject, schema) -> id, id -> schema, subject/version ->
schema and the latest version per subject, so every check that must reach the
server uses a fresh client from `new_client()`.
"""

import copy
import io
import json
import struct

import fastavro
import pytest
from confluent_kafka.schema_registry import (
    RegisteredSchema,
    Schema,
    SchemaRegistryClient,
    SchemaRegistryError,
)
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

# -- schemas -------------------------------------------------------------------

# Written in treaty's/CSR's canonical key order (type, name, namespace, fields;
# field: name, type, default) so that the compact json.dumps of these dicts is
# exactly the canonical text the registry stores.
USER_V1 = {
    "type": "record",
    "name": "User",
    "namespace": "com.example",
    "fields": [
        {"name": "name", "type": "string"},
        {"name": "age", "type": "int"},
    ],
}

# BACKWARD compatible with V1: the added field has a default.
USER_V2 = copy.deepcopy(USER_V1)
USER_V2["fields"].append({"name": "email", "type": ["null", "string"], "default": None})

# BACKWARD incompatible (new reader has no default for a field old data lacks)
# but FORWARD compatible (the old reader ignores the extra field).
USER_NEW_REQUIRED = copy.deepcopy(USER_V1)
USER_NEW_REQUIRED["fields"].append({"name": "country", "type": "string"})

# Incompatible in both directions: int and string do not promote.
USER_AGE_STRING = copy.deepcopy(USER_V1)
USER_AGE_STRING["fields"][1] = {"name": "age", "type": "string"}

ORDER = {
    "type": "record",
    "name": "Order",
    "namespace": "com.example",
    "fields": [{"name": "id", "type": "long"}, {"name": "amount", "type": "double"}],
}


def compact(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def avro(obj, pretty=False) -> Schema:
    text = json.dumps(obj, indent=2) if pretty else compact(obj)
    return Schema(text, schema_type="AVRO")


def sr_error(http_status, error_code, call, *args, **kwargs) -> SchemaRegistryError:
    """Runs call, expects a SchemaRegistryError with that HTTP status and error code."""
    with pytest.raises(SchemaRegistryError) as info:
        call(*args, **kwargs)
    error = info.value
    assert (error.http_status_code, error.error_code) == (http_status, error_code), (
        f"expected HTTP {http_status} / {error_code}, got {error!s}"
    )
    return error


def wire_id(data: bytes) -> int:
    assert isinstance(data, bytes) and len(data) > 5, data
    assert data[0] == 0, f"magic byte is {data[0]}, expected 0"
    return struct.unpack(">i", data[1:5])[0]


def avro_binary(schema_obj, value) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(copy.deepcopy(schema_obj)), value)
    return out.getvalue()


# -- registration and ids --------------------------------------------------------


def test_register_returns_positive_int_id(client):
    schema_id = client.register_schema("users-value", avro(USER_V1))
    assert isinstance(schema_id, int) and schema_id > 0


def test_register_same_schema_twice_same_id_no_new_version(new_client):
    first = new_client().register_schema("users-value", avro(USER_V1))
    # A second client instance, so the server (not the client cache) answers.
    second = new_client().register_schema("users-value", avro(USER_V1))
    assert second == first
    assert new_client().get_versions("users-value") == [1]


def test_register_whitespace_variant_dedupes_to_same_id(new_client):
    first = new_client().register_schema("users-value", avro(USER_V1))
    second = new_client().register_schema("users-value", avro(USER_V1, pretty=True))
    assert second == first
    assert new_client().get_versions("users-value") == [1]


def test_same_schema_in_two_subjects_same_id(new_client):
    a = new_client().register_schema("alpha-value", avro(USER_V1))
    b = new_client().register_schema("beta-value", avro(USER_V1))
    assert a == b
    c = new_client()
    assert c.get_versions("alpha-value") == [1]
    assert c.get_versions("beta-value") == [1]
    assert c.get_version("beta-value", 1).schema_id == a


def test_different_schemas_get_different_ids(new_client):
    a = new_client().register_schema("users-value", avro(USER_V1))
    b = new_client().register_schema("orders-value", avro(ORDER))
    c = new_client().register_schema("users-value", avro(USER_V2))
    assert len({a, b, c}) == 3


def test_register_full_response(client):
    registered = client.register_schema_full_response("users-value", avro(USER_V1))
    assert isinstance(registered, RegisteredSchema)
    assert isinstance(registered.schema_id, int) and registered.schema_id > 0
    assert registered.subject == "users-value"


def test_subject_with_slash_space_and_unicode(new_client):
    subject = "my topic/ünïcode-value"
    schema_id = new_client().register_schema(subject, avro(USER_V1))
    c = new_client()
    assert subject in c.get_subjects()
    assert c.get_versions(subject) == [1]
    assert c.get_version(subject, 1).subject == subject
    assert c.get_latest_version(subject).schema_id == schema_id


# -- reads -------------------------------------------------------------------------


def test_get_schema_by_id_returns_canonical_text(new_client):
    schema_id = new_client().register_schema("users-value", avro(USER_V1, pretty=True))
    schema = new_client().get_schema(schema_id)
    assert isinstance(schema, Schema)
    assert schema.schema_type == "AVRO"
    assert json.loads(schema.schema_str) == USER_V1
    # The stored text is the compact canonical form, not the pretty request text.
    assert schema.schema_str == compact(USER_V1)


def test_get_schema_primitive_is_canonicalised(new_client):
    # {"type":"string"} is stored as the bare primitive "string".
    schema_id = new_client().register_schema("keys-key", Schema('{"type": "string"}', "AVRO"))
    assert new_client().get_schema(schema_id).schema_str == '"string"'


def test_get_latest_version(new_client):
    id1 = new_client().register_schema("users-value", avro(USER_V1))
    id2 = new_client().register_schema("users-value", avro(USER_V2))
    assert id1 != id2
    latest = new_client().get_latest_version("users-value")
    assert isinstance(latest, RegisteredSchema)
    assert latest.subject == "users-value"
    assert latest.version == 2
    assert latest.schema_id == id2
    assert json.loads(latest.schema.schema_str) == USER_V2


def test_get_version(new_client):
    id1 = new_client().register_schema("users-value", avro(USER_V1))
    id2 = new_client().register_schema("users-value", avro(USER_V2))
    c = new_client()
    v1 = c.get_version("users-value", 1)
    assert (v1.subject, v1.version, v1.schema_id) == ("users-value", 1, id1)
    assert json.loads(v1.schema.schema_str) == USER_V1
    v2 = c.get_version("users-value", 2)
    assert (v2.version, v2.schema_id) == (2, id2)
    latest = new_client().get_version("users-value", "latest")
    assert (latest.version, latest.schema_id) == (2, id2)


def test_get_versions(new_client):
    new_client().register_schema("users-value", avro(USER_V1))
    assert new_client().get_versions("users-value") == [1]
    new_client().register_schema("users-value", avro(USER_V2))
    assert new_client().get_versions("users-value") == [1, 2]


def test_get_subjects(new_client):
    assert new_client().get_subjects() == []
    for subject in ("zeta-value", "alpha-value", "mid-key"):
        new_client().register_schema(subject, avro(USER_V1))
    assert new_client().get_subjects() == ["alpha-value", "mid-key", "zeta-value"]
    assert new_client().get_subjects(subject_prefix="alpha") == ["alpha-value"]


def test_get_schema_types_lists_avro(client):
    assert "AVRO" in client.get_schema_types()


def test_subjects_and_versions_by_schema_id(new_client):
    schema_id = new_client().register_schema("a-value", avro(USER_V1))
    new_client().register_schema("b-value", avro(USER_V1))
    c = new_client()
    assert sorted(c.get_subjects_by_schema_id(schema_id)) == ["a-value", "b-value"]
    pairs = sorted((sv.subject, sv.version) for sv in c.get_schema_versions(schema_id))
    assert pairs == [("a-value", 1), ("b-value", 1)]


# -- lookup ------------------------------------------------------------------------


def test_lookup_schema(new_client):
    id1 = new_client().register_schema("users-value", avro(USER_V1))
    id2 = new_client().register_schema("users-value", avro(USER_V2))
    found = new_client().lookup_schema("users-value", avro(USER_V1))
    assert isinstance(found, RegisteredSchema)
    assert (found.subject, found.version, found.schema_id) == ("users-value", 1, id1)
    found = new_client().lookup_schema("users-value", avro(USER_V2, pretty=True))
    assert (found.subject, found.version, found.schema_id) == ("users-value", 2, id2)


def test_lookup_schema_not_registered(new_client):
    new_client().register_schema("users-value", avro(USER_V1))
    error = sr_error(404, 40403, new_client().lookup_schema, "users-value", avro(USER_V2))
    assert error.error_message == "Schema not found"
    error = sr_error(404, 40401, new_client().lookup_schema, "nobody-value", avro(USER_V1))
    assert error.error_message == "Subject 'nobody-value' not found."


def test_lookup_soft_deleted_version_needs_deleted_flag(new_client):
    id1 = new_client().register_schema("users-value", avro(USER_V1))
    new_client().register_schema("users-value", avro(USER_V2))
    assert new_client().delete_version("users-value", 1) == 1
    sr_error(404, 40403, new_client().lookup_schema, "users-value", avro(USER_V1))
    found = new_client().lookup_schema("users-value", avro(USER_V1), deleted=True)
    assert (found.version, found.schema_id) == (1, id1)


# -- compatibility -----------------------------------------------------------------


def test_test_compatibility_default_backward(new_client):
    new_client().register_schema("users-value", avro(USER_V1))
    c = new_client()
    assert c.test_compatibility("users-value", avro(USER_V2)) is True
    assert c.test_compatibility("users-value", avro(USER_NEW_REQUIRED)) is False
    assert c.test_compatibility("users-value", avro(USER_AGE_STRING)) is False
    # Against an explicit version.
    assert c.test_compatibility("users-value", avro(USER_V2), version=1) is True
    assert c.test_compatibility("users-value", avro(USER_AGE_STRING), version=1) is False


def test_test_compatibility_checks_latest_version(new_client):
    new_client().register_schema("users-value", avro(USER_V1))
    new_client().register_schema("users-value", avro(USER_V2))
    # Dropping 'email' (which has a default) is backward compatible with V2;
    # int -> string for 'age' is not, against either version.
    c = new_client()
    assert c.test_compatibility("users-value", avro(USER_V1)) is True
    assert c.test_compatibility("users-value", avro(USER_AGE_STRING), version=2) is False


def test_test_compatibility_unknown_version_and_empty_subject(new_client):
    new_client().register_schema("users-value", avro(USER_V1))
    error = sr_error(404, 40402, new_client().test_compatibility, "users-value", avro(USER_V2), version=7)
    assert error.error_message == "Version 7 not found."
    # No versions at all: anything is compatible with "latest".
    assert new_client().test_compatibility("fresh-value", avro(USER_V1)) is True


def test_test_compatibility_all_versions(new_client):
    new_client().register_schema("users-value", avro(USER_V1))
    c = new_client()
    assert c.test_compatibility_all_versions("users-value", avro(USER_V2)) is True
    assert c.test_compatibility_all_versions("users-value", avro(USER_AGE_STRING)) is False


def test_incompatible_registration_rejected_409(new_client):
    new_client().register_schema("users-value", avro(USER_V1))
    error = sr_error(409, 409, new_client().register_schema, "users-value", avro(USER_NEW_REQUIRED))
    assert error.error_message.startswith(
        'Schema being registered is incompatible with an earlier schema for subject "users-value"'
    ), error.error_message
    assert new_client().get_versions("users-value") == [1]


def test_compatible_registration_creates_next_version(new_client):
    id1 = new_client().register_schema("users-value", avro(USER_V1))
    id2 = new_client().register_schema("users-value", avro(USER_V2))
    assert id2 != id1
    assert new_client().get_version("users-value", 2).schema_id == id2


# -- config ------------------------------------------------------------------------


def test_global_compatibility_default_and_set(new_client):
    assert new_client().get_compatibility() == "BACKWARD"
    assert new_client().set_compatibility(level="FULL") == {"compatibility": "FULL"}
    assert new_client().get_compatibility() == "FULL"
    # The client upper-cases the level it sends. NONE lets an incompatible
    # schema through.
    assert new_client().set_compatibility(level="none") == {"compatibility": "NONE"}
    assert new_client().get_compatibility() == "NONE"
    new_client().register_schema("users-value", avro(USER_V1))
    new_client().register_schema("users-value", avro(USER_AGE_STRING))
    assert new_client().get_versions("users-value") == [1, 2]


def test_global_forward_is_enforced(new_client):
    new_client().register_schema("users-value", avro(USER_V1))
    new_client().set_compatibility(level="FORWARD")
    c = new_client()
    assert c.test_compatibility("users-value", avro(USER_NEW_REQUIRED)) is True
    assert c.test_compatibility("users-value", avro(USER_AGE_STRING)) is False
    new_client().register_schema("users-value", avro(USER_NEW_REQUIRED))
    assert new_client().get_versions("users-value") == [1, 2]


def test_subject_compatibility(new_client):
    for subject in ("users-value", "others-value"):
        new_client().register_schema(subject, avro(USER_V1))
    error = sr_error(404, 40408, new_client().get_compatibility, "users-value")
    assert error.error_message == (
        "Subject 'users-value' does not have subject-level compatibility configured"
    )
    assert new_client().set_compatibility("users-value", "FORWARD") == {"compatibility": "FORWARD"}
    assert new_client().get_compatibility("users-value") == "FORWARD"
    assert new_client().get_compatibility() == "BACKWARD"
    c = new_client()
    # Subject-level FORWARD applies to users-value only.
    assert c.test_compatibility("users-value", avro(USER_NEW_REQUIRED)) is True
    assert c.test_compatibility("others-value", avro(USER_NEW_REQUIRED)) is False
    new_client().register_schema("users-value", avro(USER_NEW_REQUIRED))
    sr_error(409, 409, new_client().register_schema, "others-value", avro(USER_NEW_REQUIRED))


def test_subject_compatibility_without_schemas(new_client):
    # Config may be set on a subject that has no schema yet.
    assert new_client().set_compatibility("later-value", "NONE") == {"compatibility": "NONE"}
    assert new_client().get_compatibility("later-value") == "NONE"
    new_client().register_schema("later-value", avro(USER_V1))
    new_client().register_schema("later-value", avro(USER_AGE_STRING))
    assert new_client().get_versions("later-value") == [1, 2]


def test_invalid_compatibility_level(client):
    error = sr_error(422, 42203, client.set_compatibility, level="SIDEWAYS")
    assert error.error_message.startswith("Invalid compatibility level"), error.error_message
    sr_error(422, 42203, client.set_compatibility, "users-value", "SIDEWAYS")
    assert client.get_compatibility() == "BACKWARD"


# -- deletes -----------------------------------------------------------------------


def test_delete_version_soft_then_permanent(new_client):
    id1 = new_client().register_schema("users-value", avro(USER_V1))
    id2 = new_client().register_schema("users-value", avro(USER_V2))

    assert new_client().delete_version("users-value", 1) == 1
    c = new_client()
    assert c.get_versions("users-value") == [2]
    assert c.get_versions("users-value", deleted=True) == [1, 2]
    error = sr_error(404, 40402, new_client().get_version, "users-value", 1)
    assert error.error_message == "Version 1 not found."
    kept = new_client().get_version("users-value", 1, deleted=True)
    assert (kept.version, kept.schema_id) == (1, id1)
    # The id keeps resolving so old data still decodes.
    assert json.loads(new_client().get_schema(id1).schema_str) == USER_V1
    assert new_client().get_latest_version("users-value").version == 2

    sr_error(404, 40406, new_client().delete_version, "users-value", 1)
    sr_error(404, 40407, new_client().delete_version, "users-value", 2, permanent=True)

    assert new_client().delete_version("users-value", 1, permanent=True) == 1
    assert new_client().get_versions("users-value", deleted=True) == [2]
    error = sr_error(404, 40403, new_client().get_schema, id1)
    assert error.error_message == f"Schema {id1} not found"
    assert json.loads(new_client().get_schema(id2).schema_str) == USER_V2


def test_delete_version_errors(new_client):
    new_client().register_schema("users-value", avro(USER_V1))
    sr_error(404, 40402, new_client().delete_version, "users-value", 9)
    sr_error(404, 40401, new_client().delete_version, "nobody-value", 1)


def test_delete_subject_soft_then_permanent(new_client):
    id1 = new_client().register_schema("users-value", avro(USER_V1))
    id2 = new_client().register_schema("users-value", avro(USER_V2))
    assert new_client().register_schema("keep-value", avro(USER_V1)) == id1

    assert new_client().delete_subject("users-value") == [1, 2]
    c = new_client()
    assert c.get_subjects() == ["keep-value"]
    assert c.get_subjects(deleted=True) == ["keep-value", "users-value"]
    sr_error(404, 40401, c.get_versions, "users-value")
    assert c.get_versions("users-value", deleted=True) == [1, 2]
    sr_error(404, 40401, new_client().get_latest_version, "users-value")
    assert json.loads(new_client().get_schema(id2).schema_str) == USER_V2

    sr_error(404, 40404, new_client().delete_subject, "users-value")
    sr_error(404, 40405, new_client().delete_subject, "keep-value", permanent=True)

    assert new_client().delete_subject("users-value", permanent=True) == [1, 2]
    c = new_client()
    assert c.get_subjects(deleted=True) == ["keep-value"]
    sr_error(404, 40401, c.get_versions, "users-value", deleted=True)
    # id2 was only in users-value; id1 is still held by keep-value.
    sr_error(404, 40403, new_client().get_schema, id2)
    assert json.loads(new_client().get_schema(id1).schema_str) == USER_V1

    # Numbering restarts after a permanent delete; the content keeps its id.
    assert new_client().register_schema("users-value", avro(USER_V1)) == id1
    assert new_client().get_versions("users-value") == [1]


def test_delete_unknown_subject(client):
    error = sr_error(404, 40401, client.delete_subject, "nobody-value")
    assert error.error_message == "Subject 'nobody-value' not found."


def test_register_after_soft_delete_skips_deleted_versions(new_client):
    id1 = new_client().register_schema("users-value", avro(USER_V1))
    assert new_client().delete_subject("users-value") == [1]
    # Soft-deleted versions take no part in compatibility checks...
    id_bad = new_client().register_schema("users-value", avro(USER_AGE_STRING))
    assert id_bad != id1
    # ...and their numbers are not reused.
    assert new_client().get_versions("users-value") == [2]
    assert new_client().get_latest_version("users-value").schema_id == id_bad


# -- errors ------------------------------------------------------------------------


def test_error_unknown_subject_40401(new_client):
    error = sr_error(404, 40401, new_client().get_versions, "nobody-value")
    assert error.error_message == "Subject 'nobody-value' not found."
    sr_error(404, 40401, new_client().get_latest_version, "nobody-value")
    sr_error(404, 40401, new_client().get_version, "nobody-value", 1)


def test_error_unknown_version_40402(new_client):
    new_client().register_schema("users-value", avro(USER_V1))
    error = sr_error(404, 40402, new_client().get_version, "users-value", 2)
    assert error.error_message == "Version 2 not found."


def test_error_invalid_version_42202(new_client):
    new_client().register_schema("users-value", avro(USER_V1))
    sr_error(422, 42202, new_client().get_version, "users-value", 0)


def test_error_unknown_id_40403(client):
    error = sr_error(404, 40403, client.get_schema, 424242)
    assert error.error_message == "Schema 424242 not found"


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"type": "record", "name": "NoFields"}',
        '{"type": "strnig"}',
        '{"type": "record", "name": "R", "fields": [{"name": "f", "type": "Undefined"}]}',
    ],
    ids=["not-json", "record-without-fields", "unknown-primitive", "undefined-named-type"],
)
def test_error_invalid_schema_42201(new_client, text):
    error = sr_error(422, 42201, new_client().register_schema, "bad-value", Schema(text, "AVRO"))
    assert error.error_message.startswith("Invalid schema"), error.error_message
    sr_error(404, 40401, new_client().get_versions, "bad-value")


# -- Avro serializer / deserializer round trip --------------------------------------


def test_avro_round_trip_wire_format(new_client):
    ctx = SerializationContext("orders", MessageField.VALUE)
    value = {"name": "Ada", "age": 36}
    serializer = AvroSerializer(new_client(), compact(USER_V1))
    data = serializer(value, ctx)

    schema_id = wire_id(data)
    latest = new_client().get_latest_version("orders-value")
    assert (latest.version, latest.schema_id) == (1, schema_id)
    # Bytes 5.. are plain Avro binary of the value (no container header).
    assert data[5:] == avro_binary(USER_V1, value)

    # A consumer in another process knows nothing: it fetches the writer schema by id.
    deserializer = AvroDeserializer(new_client())
    assert deserializer(data, ctx) == value
    # The serializer reuses its id for later messages.
    again = serializer({"name": "Bob", "age": 7}, ctx)
    assert wire_id(again) == schema_id
    assert deserializer(again, ctx) == {"name": "Bob", "age": 7}


def test_avro_key_primitive_round_trip(new_client):
    ctx = SerializationContext("orders", MessageField.KEY)
    data = AvroSerializer(new_client(), '"string"')("order-17", ctx)
    schema_id = wire_id(data)
    assert new_client().get_latest_version("orders-key").schema_id == schema_id
    assert new_client().get_subjects() == ["orders-key"]
    assert AvroDeserializer(new_client())(data, ctx) == "order-17"


def test_avro_two_topics_share_the_schema_id(new_client):
    value = {"name": "Ada", "age": 36}
    a = AvroSerializer(new_client(), compact(USER_V1))(value, SerializationContext("a", MessageField.VALUE))
    b = AvroSerializer(new_client(), compact(USER_V1))(value, SerializationContext("b", MessageField.VALUE))
    assert wire_id(a) == wire_id(b)
    assert new_client().get_subjects() == ["a-value", "b-value"]


def test_avro_schema_evolution(new_client):
    ctx = SerializationContext("users", MessageField.VALUE)
    old_value = {"name": "Ada", "age": 36}
    new_value = {"name": "Bob", "age": 7, "email": "bob@example.com"}

    old_data = AvroSerializer(new_client(), compact(USER_V1))(old_value, ctx)
    # A second producer with the evolved (backward compatible) schema.
    new_data = AvroSerializer(new_client(), compact(USER_V2))(new_value, ctx)
    old_id, new_id = wire_id(old_data), wire_id(new_data)
    assert old_id != new_id
    c = new_client()
    assert c.get_versions("users-value") == [1, 2]
    assert c.get_version("users-value", 1).schema_id == old_id
    assert c.get_version("users-value", 2).schema_id == new_id

    # Consumer without a reader schema decodes each message with its writer schema.
    plain = AvroDeserializer(new_client())
    assert plain(old_data, ctx) == old_value
    assert plain(new_data, ctx) == new_value

    # Consumer with the new reader schema reads old data, filling the default.
    reader = AvroDeserializer(new_client(), compact(USER_V2))
    assert reader(old_data, ctx) == {**old_value, "email": None}
    assert reader(new_data, ctx) == new_value

    # Consumer taking the reader schema from the registry's latest version
    # (GET latest, then a lookup of the writer schema with deleted=True).
    latest = AvroDeserializer(new_client(), conf={"use.latest.version": True})
    assert latest(old_data, ctx) == {**old_value, "email": None}
    assert latest(new_data, ctx) == new_value


def test_avro_incompatible_producer_rejected(new_client):
    ctx = SerializationContext("users", MessageField.VALUE)
    AvroSerializer(new_client(), compact(USER_V1))({"name": "Ada", "age": 36}, ctx)
    bad = AvroSerializer(new_client(), compact(USER_AGE_STRING))
    error = sr_error(409, 409, bad, {"name": "Eve", "age": "old"}, ctx)
    assert "users-value" in error.error_message
    assert new_client().get_versions("users-value") == [1]


def test_avro_serializer_without_auto_register_uses_lookup(new_client):
    ctx = SerializationContext("users", MessageField.VALUE)
    registered = new_client().register_schema("users-value", avro(USER_V1, pretty=True))
    serializer = AvroSerializer(new_client(), compact(USER_V1), conf={"auto.register.schemas": False})
    data = serializer({"name": "Ada", "age": 36}, ctx)
    assert wire_id(data) == registered
    assert AvroDeserializer(new_client())(data, ctx) == {"name": "Ada", "age": 36}

    unregistered = AvroSerializer(new_client(), compact(USER_V2), conf={"auto.register.schemas": False})
    sr_error(404, 40403, unregistered, {"name": "Bob", "age": 7, "email": None}, ctx)
    unknown_topic = SerializationContext("nobody", MessageField.VALUE)
    lookup_only = AvroSerializer(new_client(), compact(USER_V1), conf={"auto.register.schemas": False})
    sr_error(404, 40401, lookup_only, {"name": "Ada", "age": 36}, unknown_topic)
    assert new_client().get_subjects() == ["users-value"]


def test_avro_old_message_decodes_after_soft_delete(new_client):
    ctx = SerializationContext("users", MessageField.VALUE)
    data = AvroSerializer(new_client(), compact(USER_V1))({"name": "Ada", "age": 36}, ctx)
    new_client().delete_subject("users-value")
    assert AvroDeserializer(new_client())(data, ctx) == {"name": "Ada", "age": 36}


# -- process lifecycle --------------------------------------------------------------


def test_data_survives_restart_and_sigterm_exits_cleanly(treaty_factory, tmp_path):
    data_dir = tmp_path / "durable"
    first = treaty_factory(data_dir)
    with SchemaRegistryClient({"url": first.url}) as c:
        id1 = c.register_schema("users-value", avro(USER_V1))
        id2 = c.register_schema("users-value", avro(USER_V2))
        c.set_compatibility("users-value", "FULL")
    assert first.stop() == 0, "treaty did not exit with status 0 on SIGTERM\n" + first.logs()

    second = treaty_factory(data_dir)
    with SchemaRegistryClient({"url": second.url}) as c:
        assert c.get_versions("users-value") == [1, 2]
        assert json.loads(c.get_schema(id1).schema_str) == USER_V1
        assert c.get_latest_version("users-value").schema_id == id2
        assert c.get_compatibility("users-value") == "FULL"
    with SchemaRegistryClient({"url": second.url}) as c:
        assert c.register_schema("users-value", avro(USER_V2)) == id2
        id3 = c.register_schema("orders-value", avro(ORDER))
        assert id3 not in (id1, id2)


# -- more client configurations ------------------------------------------------------


def test_register_and_lookup_with_normalize(new_client):
    # The client sends normalize=True (capitalised, as Python formats it).
    schema_id = new_client().register_schema("users-value", avro(USER_V1, pretty=True), normalize_schemas=True)
    assert new_client().register_schema("users-value", avro(USER_V1), normalize_schemas=True) == schema_id
    found = new_client().lookup_schema("users-value", avro(USER_V1), normalize_schemas=True)
    assert (found.version, found.schema_id) == (1, schema_id)
    assert new_client().get_versions("users-value") == [1]


def test_concurrent_identical_registrations_make_one_version(new_client):
    from concurrent.futures import ThreadPoolExecutor

    clients = [new_client() for _ in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda c: c.register_schema("users-value", avro(USER_V1)), clients))
    assert len(set(ids)) == 1, ids
    assert new_client().get_versions("users-value") == [1]


def test_avro_serializer_use_latest_version(new_client):
    ctx = SerializationContext("users", MessageField.VALUE)
    new_client().register_schema("users-value", avro(USER_V1))
    id2 = new_client().register_schema("users-value", avro(USER_V2))
    serializer = AvroSerializer(
        new_client(),
        compact(USER_V1),
        conf={"auto.register.schemas": False, "use.latest.version": True},
    )
    value = {"name": "Ada", "age": 36, "email": "ada@example.com"}
    data = serializer(value, ctx)
    assert wire_id(data) == id2
    assert data[5:] == avro_binary(USER_V2, value)
    assert AvroDeserializer(new_client())(data, ctx) == value


def test_avro_serializer_use_schema_id(new_client):
    ctx = SerializationContext("users", MessageField.VALUE)
    id1 = new_client().register_schema("users-value", avro(USER_V1))
    new_client().register_schema("users-value", avro(USER_V2))
    serializer = AvroSerializer(
        new_client(),
        compact(USER_V2),
        conf={"auto.register.schemas": False, "use.schema.id": id1},
    )
    value = {"name": "Ada", "age": 36}
    data = serializer(value, ctx)
    assert wire_id(data) == id1
    assert data[5:] == avro_binary(USER_V1, value)
    assert AvroDeserializer(new_client())(data, ctx) == value
