"""Writes N schema registrations straight to a schemas topic, in Confluent's
record format (docs: ../shared/spec/schemas-topic.md), as a Confluent
registry that registered them would have: subject `fill-NNNNNN-value`,
version 1, id n, a distinct Avro record schema each. Creates the topic as
treaty requires it (1 partition, cleanup.policy=compact).

    python fill_topic.py BOOTSTRAP TOPIC N

Prints the offset of the last record written (what a reader has applied
when it has read them all).
"""

import json
import sys

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic


def main():
    bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    admin = AdminClient({"bootstrap.servers": bootstrap})
    created = admin.create_topics(
        [NewTopic(topic, num_partitions=1, replication_factor=1,
                  config={"cleanup.policy": "compact"})]
    )
    created[topic].result(timeout=30)

    producer = Producer({
        "bootstrap.servers": bootstrap,
        "linger.ms": 20,
        "batch.num.messages": 10000,
        "queue.buffering.max.messages": 200000,
    })
    last = []

    def delivered(error, message):
        if error is not None:
            raise SystemExit(f"fill_topic: delivery failed: {error}")
        last.append(message.offset())

    for n in range(1, count + 1):
        subject = f"fill-{n:06d}-value"
        key = {"keytype": "SCHEMA", "subject": subject, "version": 1, "magic": 1}
        schema = {"type": "record", "name": f"Fill{n}",
                  "fields": [{"name": "id", "type": "long"}]}
        value = {"subject": subject, "version": 1, "id": n,
                 "schema": json.dumps(schema, separators=(",", ":")), "deleted": False}
        producer.produce(topic, key=json.dumps(key, separators=(",", ":")),
                         value=json.dumps(value, separators=(",", ":")),
                         on_delivery=delivered)
        producer.poll(0)
    if producer.flush(60) != 0:
        raise SystemExit("fill_topic: records still unsent after 60 s")
    print(max(last))


if __name__ == "__main__":
    main()
