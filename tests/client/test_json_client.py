"""Real-client tests: confluent-kafka's JSONSerializer/JSONDeserializer and
JSON Schema compatibility against a freshly started `treaty serve`.

Compatibility follows Confluent's JSON Schema rules (the default level is
BACKWARD: the new schema must read data written with the old one). A closed
content model (additionalProperties: false) can gain an optional property,
since old data never had it; an open model cannot gain a typed property,
since old data may already hold that name with any value
(PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL).
"""

import copy
import dataclasses
import json
import struct
import urllib.error
import urllib.request
from typing import List, Optional

import pytest
from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryError
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, SerializationError

DRAFT7 = "http://json-schema.org/draft-07/schema#"

ADDRESS = {
    "type": "object",
    "properties": {
        "street": {"type": "string"},
        "city": {"type": "string"},
        "zip": {"type": "string", "pattern": "^[0-9]{5}$"},
    },
    "required": ["street", "city"],
    "additionalProperties": False,
}

# Closed content model, with `required` at two levels.
CUSTOMER_CLOSED = {
    "$schema": DRAFT7,
    "title": "Customer",
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "name": {"type": "string", "minLength": 1},
        "address": copy.deepcopy(ADDRESS),
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["id", "name", "address"],
    "additionalProperties": False,
}

# BACKWARD compatible: OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL.
CUSTOMER_CLOSED_PLUS_OPTIONAL = copy.deepcopy(CUSTOMER_CLOSED)
CUSTOMER_CLOSED_PLUS_OPTIONAL["properties"]["email"] = {"type": "string"}

# BACKWARD incompatible: REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL.
CUSTOMER_CLOSED_PLUS_REQUIRED = copy.deepcopy(CUSTOMER_CLOSED_PLUS_OPTIONAL)
CUSTOMER_CLOSED_PLUS_REQUIRED["required"].append("email")

# Open content model (additionalProperties absent, so true).
CUSTOMER_OPEN = copy.deepcopy(CUSTOMER_CLOSED)
del CUSTOMER_OPEN["additionalProperties"]

# BACKWARD incompatible: PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL.
CUSTOMER_OPEN_PLUS_OPTIONAL = copy.deepcopy(CUSTOMER_OPEN)
CUSTOMER_OPEN_PLUS_OPTIONAL["properties"]["email"] = {"type": "string"}

# The address as a separate subject, referenced by name.
ADDRESS_REF_NAME = "address.json"
ADDRESS_SUBJECT = "address-value"
CUSTOMER_WITH_REF = copy.deepcopy(CUSTOMER_CLOSED)
CUSTOMER_WITH_REF["properties"]["address"] = {"$ref": ADDRESS_REF_NAME}

SUBJECT = "customers-value"


@dataclasses.dataclass
class Address:
    street: str
    city: str
    zip: Optional[str] = None


@dataclasses.dataclass
class Customer:
    id: int
    name: str
    address: Address
    tags: List[str] = dataclasses.field(default_factory=list)


def customer_to_dict(customer: Customer, ctx) -> dict:
    address = {"street": customer.address.street, "city": customer.address.city}
    out = {"id": customer.id, "name": customer.name, "address": address}
    if customer.address.zip is not None:
        address["zip"] = customer.address.zip
    if customer.tags:
        out["tags"] = list(customer.tags)
    return out


def customer_from_dict(obj: dict, ctx) -> Customer:
    return Customer(
        id=obj["id"],
        name=obj["name"],
        address=Address(**obj["address"]),
        tags=obj.get("tags", []),
    )


ADA = Customer(7, "Ada", Address("1 Analytical Way", "London", "12345"), ["vip", "early"])


def compact(obj) -> str:
    return json.dumps(obj, separators=(",", ":"))


def json_schema(obj, references=None) -> Schema:
    return Schema(compact(obj), "JSON", references or [])


def ctx():
    return SerializationContext("customers", MessageField.VALUE)


def split_wire(data: bytes):
    assert isinstance(data, bytes) and len(data) > 5, data
    assert data[0] == 0, f"magic byte is {data[0]}, expected 0"
    return struct.unpack(">i", data[1:5])[0], data[5:]


def sr_error(http_status, error_code, call, *args, **kwargs) -> SchemaRegistryError:
    with pytest.raises(SchemaRegistryError) as info:
        call(*args, **kwargs)
    error = info.value
    assert (error.http_status_code, error.error_code) == (http_status, error_code), (
        f"expected HTTP {http_status} / {error_code}, got {error!s}"
    )
    return error


def rest(base_url: str, path: str, body=None):
    """GET (or POST body) straight over HTTP: (status, parsed JSON body)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base_url + path,
        data=data,
        headers={"Content-Type": "application/vnd.schemaregistry.v1+json"},
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def frame(schema_id: int, payload: dict) -> bytes:
    return b"\x00" + struct.pack(">i", schema_id) + compact(payload).encode()


# -- round trip -------------------------------------------------------------------


def test_json_round_trip_wire_format(new_client):
    serializer = JSONSerializer(compact(CUSTOMER_CLOSED), new_client(), customer_to_dict)
    data = serializer(ADA, ctx())
    schema_id, payload = split_wire(data)
    assert schema_id > 0
    assert json.loads(payload) == customer_to_dict(ADA, None)

    registered = new_client().get_version(SUBJECT, 1)
    assert registered.schema_id == schema_id
    assert registered.schema.schema_type == "JSON"
    assert json.loads(registered.schema.schema_str) == CUSTOMER_CLOSED

    # Reader schema given: the deserializer needs no registry.
    decoded = JSONDeserializer(compact(CUSTOMER_CLOSED), customer_from_dict)(data, ctx())
    assert decoded == ADA
    # No reader schema: the writer's comes from the registry by id.
    from_registry = JSONDeserializer(None, customer_from_dict, schema_registry_client=new_client())(data, ctx())
    assert from_registry == ADA


def test_json_same_schema_same_id_no_new_version(new_client):
    first = split_wire(JSONSerializer(compact(CUSTOMER_CLOSED), new_client(), customer_to_dict)(ADA, ctx()))[0]
    pretty = json.dumps(CUSTOMER_CLOSED, indent=2)
    second = split_wire(JSONSerializer(pretty, new_client(), customer_to_dict)(ADA, ctx()))[0]
    assert second == first
    assert new_client().get_versions(SUBJECT) == [1]
    # Lookup only.
    conf = {"auto.register.schemas": False}
    third = split_wire(JSONSerializer(compact(CUSTOMER_CLOSED), new_client(), customer_to_dict, conf)(ADA, ctx()))[0]
    assert third == first


@pytest.mark.parametrize(
    "payload, fragment",
    [
        ({"id": 7, "address": {"street": "s", "city": "c"}}, "'name' is a required property"),
        ({"id": 7, "name": "Ada", "address": {"street": "s"}}, "'city' is a required property"),
        ({"id": 0, "name": "Ada", "address": {"street": "s", "city": "c"}}, "minimum"),
        ({"id": 7, "name": "Ada", "address": {"street": "s", "city": "c", "zip": "x"}}, "does not match"),
        ({"id": 7, "name": "Ada", "address": {"street": "s", "city": "c"}, "extra": 1}, "Additional properties"),
        ({"id": "7", "name": "Ada", "address": {"street": "s", "city": "c"}}, "is not of type 'integer'"),
    ],
    ids=["missing-required", "nested-missing-required", "minimum", "pattern", "closed-model", "type"],
)
def test_json_serializer_validates_payload(new_client, payload, fragment):
    serializer = JSONSerializer(compact(CUSTOMER_CLOSED), new_client())  # dicts as they are
    valid = {"id": 7, "name": "Ada", "address": {"street": "s", "city": "c"}}
    schema_id, _ = split_wire(serializer(valid, ctx()))
    with pytest.raises(SerializationError) as info:
        serializer(payload, ctx())
    assert fragment in str(info.value), str(info.value)

    # The deserializer validates too, against the writer schema it fetches.
    deserializer = JSONDeserializer(None, schema_registry_client=new_client())
    assert deserializer(frame(schema_id, valid), ctx()) == valid
    with pytest.raises(SerializationError):
        deserializer(frame(schema_id, payload), ctx())


# -- evolution --------------------------------------------------------------------


def test_json_closed_model_evolution(new_client, treaty_url):
    id_v1 = split_wire(JSONSerializer(compact(CUSTOMER_CLOSED), new_client(), customer_to_dict)(ADA, ctx()))[0]
    client = new_client()
    assert client.test_compatibility(SUBJECT, json_schema(CUSTOMER_CLOSED_PLUS_OPTIONAL)) is True
    assert client.test_compatibility(SUBJECT, json_schema(CUSTOMER_CLOSED_PLUS_REQUIRED)) is False

    status, body = rest(
        treaty_url,
        f"/compatibility/subjects/{SUBJECT}/versions/latest?verbose=true",
        {"schemaType": "JSON", "schema": compact(CUSTOMER_CLOSED_PLUS_REQUIRED)},
    )
    assert status == 200, body
    assert body["is_compatible"] is False
    assert any("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL" in m for m in body["messages"]), body

    # The compatible evolution registers through the serializer.
    with_email = dict(customer_to_dict(ADA, None), email="ada@example.com")
    data = JSONSerializer(compact(CUSTOMER_CLOSED_PLUS_OPTIONAL), new_client())(with_email, ctx())
    id_v2, payload = split_wire(data)
    assert id_v2 != id_v1
    assert json.loads(payload) == with_email
    assert new_client().get_versions(SUBJECT) == [1, 2]
    # Old data still reads with the new schema, new data with the registry's.
    old = frame(id_v1, customer_to_dict(ADA, None))
    assert JSONDeserializer(compact(CUSTOMER_CLOSED_PLUS_OPTIONAL))(old, ctx()) == customer_to_dict(ADA, None)
    assert JSONDeserializer(None, schema_registry_client=new_client())(data, ctx()) == with_email

    stricter = JSONSerializer(compact(CUSTOMER_CLOSED_PLUS_REQUIRED), new_client())
    sr_error(409, 409, stricter, with_email, ctx())
    assert new_client().get_versions(SUBJECT) == [1, 2]


def test_json_open_model_evolution(new_client, treaty_url):
    JSONSerializer(compact(CUSTOMER_OPEN), new_client(), customer_to_dict)(ADA, ctx())
    client = new_client()
    assert client.test_compatibility(SUBJECT, json_schema(CUSTOMER_OPEN_PLUS_OPTIONAL)) is False
    # Closing the model is compatible backward only the other way round.
    assert client.test_compatibility(SUBJECT, json_schema(CUSTOMER_OPEN)) is True

    status, body = rest(
        treaty_url,
        f"/compatibility/subjects/{SUBJECT}/versions/latest?verbose=true",
        {"schemaType": "JSON", "schema": compact(CUSTOMER_OPEN_PLUS_OPTIONAL)},
    )
    assert status == 200, body
    assert body["is_compatible"] is False
    assert any("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" in m for m in body["messages"]), body

    with_email = dict(customer_to_dict(ADA, None), email="ada@example.com")
    error = sr_error(409, 409, JSONSerializer(compact(CUSTOMER_OPEN_PLUS_OPTIONAL), new_client()), with_email, ctx())
    assert SUBJECT in error.error_message, error.error_message
    assert new_client().get_versions(SUBJECT) == [1]

    # Under NONE the same schema registers.
    new_client().set_compatibility(SUBJECT, "NONE")
    JSONSerializer(compact(CUSTOMER_OPEN_PLUS_OPTIONAL), new_client())(with_email, ctx())
    assert new_client().get_versions(SUBJECT) == [1, 2]


# -- references ---------------------------------------------------------------------


def test_json_schema_reference(new_client, treaty_url):
    address_id = new_client().register_schema(ADDRESS_SUBJECT, json_schema(ADDRESS))
    refs = [SchemaReference(ADDRESS_REF_NAME, ADDRESS_SUBJECT, 1)]
    schema = json_schema(CUSTOMER_WITH_REF, refs)

    serializer = JSONSerializer(schema, new_client(), customer_to_dict)
    data = serializer(ADA, ctx())
    schema_id, payload = split_wire(data)
    assert schema_id != address_id
    assert json.loads(payload) == customer_to_dict(ADA, None)

    # The payload is validated through the reference.
    bad = dataclasses.replace(ADA, address=Address("1 Analytical Way", "London", "not-a-zip"))
    with pytest.raises(SerializationError):
        serializer(bad, ctx())

    client = new_client()
    registered = client.get_version(SUBJECT, 1)
    assert registered.schema_id == schema_id
    assert registered.schema.schema_type == "JSON"
    assert registered.schema.references == refs
    assert json.loads(registered.schema.schema_str) == CUSTOMER_WITH_REF
    assert client.get_referenced_by(ADDRESS_SUBJECT, 1) == [schema_id]
    status, body = rest(treaty_url, f"/schemas/ids/{schema_id}")
    assert status == 200, body
    assert body["references"] == [{"name": ADDRESS_REF_NAME, "subject": ADDRESS_SUBJECT, "version": 1}]
    assert rest(treaty_url, f"/subjects/{ADDRESS_SUBJECT}/versions/1/referencedby") == (200, [schema_id])

    # Reader schema with its references, and the writer schema from the registry.
    reader = JSONDeserializer(schema, customer_from_dict, schema_registry_client=new_client())
    assert reader(data, ctx()) == ADA
    writer = JSONDeserializer(None, customer_from_dict, schema_registry_client=new_client())
    assert writer(data, ctx()) == ADA
    with pytest.raises(SerializationError):
        writer(frame(schema_id, customer_to_dict(bad, None)), ctx())

    # A referenced schema cannot be deleted while referenced.
    sr_error(422, 42206, new_client().delete_subject, ADDRESS_SUBJECT)


def test_json_reference_must_exist(new_client):
    refs = [SchemaReference(ADDRESS_REF_NAME, ADDRESS_SUBJECT, 1)]
    # The referenced subject was never registered.
    error = sr_error(422, 42201, new_client().register_schema, SUBJECT, json_schema(CUSTOMER_WITH_REF, refs))
    # CSR's AbstractSchemaProvider.resolveReferences message, inside 42201's.
    assert f'No schema reference found for subject "{ADDRESS_SUBJECT}" and version 1' in error.error_message, (
        error.error_message
    )
