"""Real-client tests: confluent-kafka's ProtobufSerializer/ProtobufDeserializer
against a freshly started `treaty serve`.

The .proto files live in tests/client/proto: acme/order.proto imports
acme/common.proto and google/protobuf/timestamp.proto. Python code for them is
generated at test time with grpc_tools.protoc. The serializer sends each file
as a base64 FileDescriptorProto, auto-registers acme/common.proto under the
subject "acme/common.proto" (ReferenceSubjectNameStrategy) and references it
from the order schema; google/protobuf/* imports are well-known types that the
client never registers (skip.known.types) and the registry must know itself.

The evolved versions of acme/order.proto (tests/client/proto/evolutions) keep
the same file and message names, so they cannot share protobuf's default
descriptor pool with the generated modules: protoc writes them as a
FileDescriptorSet, loaded into a pool of their own.
"""

import base64
import datetime
import importlib
import json
import struct
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryError
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool
from google.protobuf.message_factory import GetMessageClass

PROTO_DIR = Path(__file__).resolve().parent / "proto"
EVOLUTIONS = PROTO_DIR / "evolutions"

COMMON_SUBJECT = "acme/common.proto"
ORDERS_SUBJECT = "orders-value"
SERDE_CONF = {"use.deprecated.format": False}

# Order is the file's second message: message indexes [1], written as the
# zigzag varints count=1 (0x02), 1 (0x02). Order.Note is [1, 0].
ORDER_INDEX_BYTES = b"\x02\x02"
NOTE_INDEX_BYTES = b"\x04\x02\x00"

CREATED_AT = datetime.datetime(2024, 5, 17, 9, 30, 15, 250000, tzinfo=datetime.timezone.utc)


# -- code generation -------------------------------------------------------------


def protoc(*args):
    """Runs grpc_tools.protoc (its __main__ adds the bundled google/protobuf
    include directory)."""
    result = subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", *map(str, args)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"protoc {args} failed:\n{result.stdout}{result.stderr}"


@pytest.fixture(scope="session")
def pb(tmp_path_factory):
    """The generated modules acme.common_pb2 and acme.order_pb2 (imported once
    per session: they register in protobuf's default descriptor pool)."""
    out = tmp_path_factory.mktemp("protobuf-gen")
    protoc("-I", PROTO_DIR, f"--python_out={out}", "acme/common.proto", "acme/order.proto")
    assert (out / "acme" / "order_pb2.py").is_file()
    sys.path.insert(0, str(out))
    try:
        common_pb2 = importlib.import_module("acme.common_pb2")
        order_pb2 = importlib.import_module("acme.order_pb2")
    finally:
        sys.path.remove(str(out))
    assert Path(order_pb2.__file__).is_relative_to(out), order_pb2.__file__

    class Modules:
        common = common_pb2
        order = order_pb2

    return Modules


def strip_json_names(messages):
    """Clears json_name as protoc's Python generator does in the descriptors
    it embeds. A descriptor set has every json_name filled in, and the
    registry (like CSR, which keeps any json_name the descriptor carries)
    would store acme/common.proto with `[json_name = ...]` options as a new
    version instead of finding the generated modules' one."""
    for message in messages:
        for field in message.field:
            field.ClearField("json_name")
        strip_json_names(message.nested_type)


def evolved_order_class(tmp_path, variant: str):
    """The acme.orders.Order class of evolutions/<variant>/acme/order.proto,
    built in a descriptor pool of its own."""
    variant_dir = EVOLUTIONS / variant
    out = tmp_path / f"{variant}.pb"
    protoc(
        "-I",
        variant_dir,
        "-I",
        PROTO_DIR,
        "--include_imports",
        f"--descriptor_set_out={out}",
        variant_dir / "acme" / "order.proto",
    )
    files = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
    names = [f.name for f in files.file]
    assert names[-1] == "acme/order.proto" and "acme/common.proto" in names, names
    pool = descriptor_pool.DescriptorPool()
    for file_proto in files.file:  # dependencies first (--include_imports order)
        strip_json_names(file_proto.message_type)
        pool.Add(file_proto)
    return GetMessageClass(pool.FindMessageTypeByName("acme.orders.Order"))


# -- helpers ----------------------------------------------------------------------


def fill_order(order):
    """Fills an Order (of any pool) with nested messages, a Timestamp, an enum
    and a repeated nested type."""
    order.order_id = "o-1001"
    order.customer_id = "c-42"
    order.created_at.seconds = int(CREATED_AT.timestamp())
    order.created_at.nanos = CREATED_AT.microsecond * 1000
    order.total.currency_code = "EUR"
    order.total.units = 123
    order.total.nanos = 450_000_000
    line = order.lines.add()
    line.sku = "sku-1"
    line.quantity = 3
    line.unit_price.currency_code = "EUR"
    line.unit_price.units = 41
    line.unit_price.nanos = 150_000_000
    order.status = 1  # STATUS_PLACED
    order.notes.add().text = "leave at the door"
    return order


def make_order(pb):
    order = pb.order.Order(
        order_id="o-1001",
        customer_id="c-42",
        total=pb.common.Money(currency_code="EUR", units=123, nanos=450_000_000),
        lines=[
            pb.order.OrderLine(
                sku="sku-1",
                quantity=3,
                unit_price=pb.common.Money(currency_code="EUR", units=41, nanos=150_000_000),
            )
        ],
        status=pb.order.Order.STATUS_PLACED,
        notes=[pb.order.Order.Note(text="leave at the door")],
    )
    order.created_at.FromDatetime(CREATED_AT)
    return order


def split_wire(data: bytes, index_bytes: bytes):
    """(schema id, payload) of a Confluent-framed Protobuf message."""
    assert isinstance(data, bytes) and len(data) > 5 + len(index_bytes), data
    assert data[0] == 0, f"magic byte is {data[0]}, expected 0"
    schema_id = struct.unpack(">i", data[1:5])[0]
    assert data[5 : 5 + len(index_bytes)] == index_bytes, data[5:12].hex()
    return schema_id, data[5 + len(index_bytes) :]


def sr_error(http_status, error_code, call, *args, **kwargs) -> SchemaRegistryError:
    with pytest.raises(SchemaRegistryError) as info:
        call(*args, **kwargs)
    error = info.value
    assert (error.http_status_code, error.error_code) == (http_status, error_code), (
        f"expected HTTP {http_status} / {error_code}, got {error!s}"
    )
    return error


def rest_get(base_url: str, path: str):
    """GET base_url + path straight over HTTP: (status, parsed JSON body)."""
    request = urllib.request.Request(
        base_url + path, headers={"Accept": "application/vnd.schemaregistry.v1+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def quoted(subject: str) -> str:
    return urllib.parse.quote(subject, safe="")


def orders_ctx():
    return SerializationContext("orders", MessageField.VALUE)


def serialize_v1(pb, new_client):
    serializer = ProtobufSerializer(pb.order.Order, new_client(), SERDE_CONF)
    order = make_order(pb)
    return order, serializer(order, orders_ctx())


# -- round trip -------------------------------------------------------------------


def test_protobuf_round_trip_wire_format(pb, new_client):
    order, data = serialize_v1(pb, new_client)
    schema_id, payload = split_wire(data, ORDER_INDEX_BYTES)
    assert schema_id > 0
    assert payload == order.SerializeToString()

    # The deserializer without a registry: the message class describes itself.
    offline = ProtobufDeserializer(pb.order.Order, SERDE_CONF)(data, orders_ctx())
    assert offline == order

    # With a registry it fetches the writer schema (?format=serialized) and
    # its references, and builds a descriptor pool from them.
    decoded = ProtobufDeserializer(pb.order.Order, SERDE_CONF, new_client())(data, orders_ctx())
    assert isinstance(decoded, pb.order.Order)
    assert decoded == order
    assert decoded.created_at.ToDatetime(tzinfo=datetime.timezone.utc) == CREATED_AT
    assert (decoded.total.currency_code, decoded.total.units, decoded.total.nanos) == ("EUR", 123, 450_000_000)
    assert decoded.lines[0].unit_price.units == 41
    assert decoded.notes[0].text == "leave at the door"
    assert decoded.status == pb.order.Order.STATUS_PLACED


def test_protobuf_references_auto_registered(pb, new_client, treaty_url):
    _, data = serialize_v1(pb, new_client)
    order_id, _ = split_wire(data, ORDER_INDEX_BYTES)
    client = new_client()

    # The local import got its own subject; the well-known type did not.
    assert sorted(client.get_subjects()) == [COMMON_SUBJECT, ORDERS_SUBJECT]
    assert client.get_versions(COMMON_SUBJECT) == [1]
    common = client.get_version(COMMON_SUBJECT, 1)
    assert common.schema.schema_type == "PROTOBUF"
    assert common.schema.references == []
    assert common.schema_id != order_id

    registered = client.get_version(ORDERS_SUBJECT, 1)
    assert registered.schema_id == order_id
    assert registered.schema.schema_type == "PROTOBUF"
    assert registered.schema.references == [SchemaReference(COMMON_SUBJECT, COMMON_SUBJECT, 1)]

    # The same over raw REST.
    status, body = rest_get(treaty_url, f"/subjects/{ORDERS_SUBJECT}/versions/1")
    assert status == 200, body
    assert body["schemaType"] == "PROTOBUF"
    assert body["references"] == [{"name": COMMON_SUBJECT, "subject": COMMON_SUBJECT, "version": 1}]
    # Stored and returned as .proto text (CSR's canonical form), imports kept.
    text = body["schema"]
    assert 'import "acme/common.proto";' in text, text
    assert 'import "google/protobuf/timestamp.proto";' in text, text
    # Types from a descriptor are fully qualified, as CSR prints them.
    assert "message Order {" in text, text
    assert "  .google.protobuf.Timestamp created_at = 3;\n" in text, text
    assert "  .acme.common.Money total = 4;\n" in text, text

    status, body = rest_get(treaty_url, f"/schemas/ids/{order_id}")
    assert status == 200, body
    assert body["schemaType"] == "PROTOBUF"
    assert body["references"] == [{"name": COMMON_SUBJECT, "subject": COMMON_SUBJECT, "version": 1}]

    # ?format=serialized gives back a base64 FileDescriptorProto.
    status, body = rest_get(treaty_url, f"/schemas/ids/{order_id}?format=serialized")
    assert status == 200, body
    file_proto = descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(body["schema"]))
    assert list(file_proto.dependency) == ["acme/common.proto", "google/protobuf/timestamp.proto"]
    assert [m.name for m in file_proto.message_type] == ["OrderLine", "Order"]

    status, body = rest_get(treaty_url, f"/subjects/{quoted(COMMON_SUBJECT)}/versions/1/referencedby")
    assert (status, body) == (200, [order_id])
    assert client.get_referenced_by(COMMON_SUBJECT, 1) == [order_id]
    assert client.get_referenced_by(ORDERS_SUBJECT, 1) == []


def test_protobuf_referenced_subject_cannot_be_deleted(pb, new_client):
    serialize_v1(pb, new_client)
    sr_error(422, 42206, new_client().delete_subject, COMMON_SUBJECT)
    sr_error(422, 42206, new_client().delete_version, COMMON_SUBJECT, 1)
    assert new_client().get_versions(COMMON_SUBJECT) == [1]


def test_protobuf_nested_message_index(pb, new_client):
    _, order_data = serialize_v1(pb, new_client)
    order_id, _ = split_wire(order_data, ORDER_INDEX_BYTES)

    ctx = SerializationContext("notes", MessageField.VALUE)
    note = pb.order.Order.Note(text="fragile")
    data = ProtobufSerializer(pb.order.Order.Note, new_client(), SERDE_CONF)(note, ctx)
    schema_id, payload = split_wire(data, NOTE_INDEX_BYTES)
    # Same file, same references: the same schema id under another subject.
    assert schema_id == order_id
    assert payload == note.SerializeToString()
    assert new_client().get_versions("notes-value") == [1]
    decoded = ProtobufDeserializer(pb.order.Order.Note, SERDE_CONF, new_client())(data, ctx)
    assert decoded == note


def test_protobuf_serializer_without_auto_register_uses_lookup(pb, new_client):
    order, data = serialize_v1(pb, new_client)
    order_id, _ = split_wire(data, ORDER_INDEX_BYTES)
    # lookup_schema for the reference and the order, both sent as base64
    # descriptors, must match what was stored as .proto text.
    conf = dict(SERDE_CONF, **{"auto.register.schemas": False})
    again = ProtobufSerializer(pb.order.Order, new_client(), conf)(order, orders_ctx())
    assert split_wire(again, ORDER_INDEX_BYTES)[0] == order_id
    assert again == data
    assert new_client().get_versions(ORDERS_SUBJECT) == [1]


def test_protobuf_compatible_evolution(pb, new_client, tmp_path):
    order_v1, data_v1 = serialize_v1(pb, new_client)
    id_v1, _ = split_wire(data_v1, ORDER_INDEX_BYTES)

    OrderV2 = evolved_order_class(tmp_path, "compatible")
    order_v2 = fill_order(OrderV2())
    order_v2.coupon_code = "SPRING"
    data_v2 = ProtobufSerializer(OrderV2, new_client(), SERDE_CONF)(order_v2, orders_ctx())
    id_v2, payload_v2 = split_wire(data_v2, ORDER_INDEX_BYTES)
    assert id_v2 != id_v1
    assert payload_v2 == order_v2.SerializeToString()

    client = new_client()
    assert client.get_versions(ORDERS_SUBJECT) == [1, 2]
    assert client.get_version(ORDERS_SUBJECT, 2).schema.references == [
        SchemaReference(COMMON_SUBJECT, COMMON_SUBJECT, 1)
    ]
    # The unchanged reference was found, not registered again.
    assert client.get_versions(COMMON_SUBJECT) == [1]
    assert sorted(client.get_referenced_by(COMMON_SUBJECT, 1)) == sorted([id_v1, id_v2])

    # New data through the old class (field 8 unknown), old data through the new.
    old_reader = ProtobufDeserializer(pb.order.Order, SERDE_CONF, new_client())(data_v2, orders_ctx())
    assert old_reader.order_id == "o-1001" and old_reader.total.units == 123
    new_reader = ProtobufDeserializer(OrderV2, SERDE_CONF, new_client())(data_v1, orders_ctx())
    assert new_reader.coupon_code == "" and new_reader.customer_id == "c-42"
    assert ProtobufDeserializer(OrderV2, SERDE_CONF, new_client())(data_v2, orders_ctx()) == order_v2


def test_protobuf_incompatible_evolution_rejected_409(pb, new_client, tmp_path):
    serialize_v1(pb, new_client)
    OrderBad = evolved_order_class(tmp_path, "incompatible")
    bad = OrderBad()
    bad.order_id = "o-1002"
    bad.customer_id = 42
    bad.total.currency_code = "EUR"
    bad.created_at.seconds = int(CREATED_AT.timestamp())
    serializer = ProtobufSerializer(OrderBad, new_client(), SERDE_CONF)
    error = sr_error(409, 409, serializer, bad, orders_ctx())
    assert error.error_message.startswith(
        f'Schema being registered is incompatible with an earlier schema for subject "{ORDERS_SUBJECT}"'
    ), error.error_message
    assert 'errorType:"FIELD_SCALAR_KIND_CHANGED"' in error.error_message, error.error_message
    assert new_client().get_versions(ORDERS_SUBJECT) == [1]


def test_protobuf_test_compatibility(pb, new_client, tmp_path):
    serialize_v1(pb, new_client)
    refs = [SchemaReference(COMMON_SUBJECT, COMMON_SUBJECT, 1)]

    def schema_of(cls):
        text = base64.standard_b64encode(cls.DESCRIPTOR.file.serialized_pb).decode("ascii")
        return Schema(text, "PROTOBUF", refs)

    client = new_client()
    assert client.test_compatibility(ORDERS_SUBJECT, schema_of(pb.order.Order)) is True
    assert client.test_compatibility(ORDERS_SUBJECT, schema_of(evolved_order_class(tmp_path, "compatible"))) is True
    assert (
        client.test_compatibility(ORDERS_SUBJECT, schema_of(evolved_order_class(tmp_path, "incompatible")))
        is False
    )
