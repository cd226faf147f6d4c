"""confluent-kafka's SchemaRegistryClient against a treaty with
authentication on (tests/fixtures/auth/credentials.json; its README lists
the test secrets): Basic user info, a static bearer token, 401 and 403."""

from pathlib import Path

import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

CREDENTIALS = Path(__file__).resolve().parents[1] / "fixtures" / "auth" / "credentials.json"
ORDER = '{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}'


@pytest.fixture
def secured(treaty_factory):
    server = treaty_factory(extra_args=["--auth-file", str(CREDENTIALS)])
    clients = []

    def make(**auth) -> SchemaRegistryClient:
        client = SchemaRegistryClient({"url": server.url, **auth})
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def test_basic_user_info_registers_and_reads(secured):
    writer = secured(**{"basic.auth.user.info": "writer:writer-pass"})
    schema_id = writer.register_schema("orders-value", Schema(ORDER, "AVRO"))
    reader = secured(**{"basic.auth.user.info": "reader:reader-pass"})
    assert reader.get_latest_version("orders-value").schema_id == schema_id
    assert reader.get_schema(schema_id).schema_str == ORDER


def test_static_bearer_token_registers(secured):
    ci = secured(
        **{
            "bearer.auth.credentials.source": "STATIC_TOKEN",
            "bearer.auth.token": "ci-token-0123456789",
            "bearer.auth.logical.cluster": "lsrc-treaty",
            "bearer.auth.identity.pool.id": "pool-treaty",
        }
    )
    assert ci.register_schema("orders-value", Schema(ORDER, "AVRO")) > 0


def test_no_credentials_is_401_and_a_missing_grant_is_40301(secured):
    with pytest.raises(SchemaRegistryError) as anonymous:
        secured().get_subjects()
    assert (anonymous.value.http_status_code, anonymous.value.error_code) == (401, 401)
    reader = secured(**{"basic.auth.user.info": "reader:reader-pass"})
    with pytest.raises(SchemaRegistryError) as denied:
        reader.register_schema("orders-value", Schema(ORDER, "AVRO"))
    assert (denied.value.http_status_code, denied.value.error_code) == (403, 40301)
    assert denied.value.error_message == "User is denied operation Write on Subject: orders-value"
