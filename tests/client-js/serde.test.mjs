// Real-client tests: the Avro, JSON Schema and Protobuf serializers and
// deserializers of Confluent's JavaScript client (@confluentinc/schemaregistry)
// against a freshly started `treaty serve` per test. Every payload is checked
// for Confluent's wire format (magic byte 0, 4-byte big-endian schema id) and
// read back through the client's deserializer.

import assert from 'node:assert/strict';

import {
    AvroDeserializer,
    AvroSerializer,
    JsonDeserializer,
    JsonSerializer,
    ProtobufDeserializer,
    ProtobufSerializer,
    SerdeType,
    SerializationError,
} from '@confluentinc/schemaregistry';
import avsc from 'avsc';
import { create, createFileRegistry, createMutableRegistry, equals } from '@bufbuild/protobuf';
import {
    FieldDescriptorProto_Label as Label,
    FieldDescriptorProto_Type as Type,
    FileDescriptorProtoSchema,
} from '@bufbuild/protobuf/wkt';

import { serverTest, wireId } from './treaty.mjs';

// -- Avro --------------------------------------------------------------------------

const USER_V1 = {
    type: 'record',
    name: 'User',
    namespace: 'com.example',
    fields: [
        { name: 'name', type: 'string' },
        { name: 'age', type: 'int' },
    ],
};

const USER_V2 = { ...USER_V1, fields: [...USER_V1.fields, { name: 'email', type: ['null', 'string'], default: null }] };

serverTest('Avro: auto-register, wire format, deserialize back', async (t, { client, newClient }) => {
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
    const value = { name: 'Alice', age: 30 };
    const bytes = await serializer.serialize('users', value);

    // The serializer derived a schema from the value and registered it under
    // the topic-name strategy's subject.
    const latest = await newClient().getLatestSchemaMetadata('users-value');
    assert.equal(latest.version, 1);
    assert.equal(wireId(bytes), latest.id);
    const registered = JSON.parse(latest.schema);
    assert.equal(registered.type, 'record');
    // The body after the 5-byte header is plain Avro binary of the registered schema.
    assert.deepEqual(bytes.subarray(5), avsc.Type.forSchema(registered).toBuffer(value));

    const deserializer = new AvroDeserializer(newClient(), SerdeType.VALUE, {});
    assert.deepEqual({ ...(await deserializer.deserialize('users', bytes)) }, value);

    // Serializing again (fresh client) reuses the id: no new version.
    const again = await new AvroSerializer(newClient(), SerdeType.VALUE, { autoRegisterSchemas: true }).serialize('users', {
        name: 'Bob',
        age: 41,
    });
    assert.equal(wireId(again), latest.id);
    assert.deepEqual(await newClient().getAllVersions('users-value'), [1]);
});

serverTest('Avro: useLatestVersion with a registered schema; reader schema evolution', async (t, { newClient }) => {
    const id1 = await newClient().register('users-value', { schemaType: 'AVRO', schema: JSON.stringify(USER_V1) });
    const serializer = new AvroSerializer(newClient(), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
    const value = { name: 'Carol', age: 52 };
    const bytes = await serializer.serialize('users', value);
    assert.equal(wireId(bytes), id1);
    assert.deepEqual(bytes.subarray(5), avsc.Type.forSchema(USER_V1).toBuffer(value));

    // The writer's schema is fetched by the id in the payload.
    const plain = new AvroDeserializer(newClient(), SerdeType.VALUE, {});
    assert.deepEqual({ ...(await plain.deserialize('users', bytes)) }, value);

    // A new, BACKWARD compatible version; a deserializer reading with the
    // latest version resolves the old payload to it.
    const id2 = await newClient().register('users-value', { schemaType: 'AVRO', schema: JSON.stringify(USER_V2) });
    assert.notEqual(id2, id1);
    const evolved = new AvroDeserializer(newClient(), SerdeType.VALUE, { useLatestVersion: true });
    assert.deepEqual({ ...(await evolved.deserialize('users', bytes)) }, { ...value, email: null });

    // A value that does not fit the schema never reaches the wire.
    await assert.rejects(serializer.serialize('users', { name: 'Dan', age: 'old' }), SerializationError);
});

serverTest('Avro: key serde and a primitive schema', async (t, { client, newClient }) => {
    const serializer = new AvroSerializer(client, SerdeType.KEY, { autoRegisterSchemas: true });
    const bytes = await serializer.serialize('users', 'user-42');
    const latest = await newClient().getLatestSchemaMetadata('users-key');
    assert.equal(latest.schema, '"string"');
    assert.equal(wireId(bytes), latest.id);
    const deserializer = new AvroDeserializer(newClient(), SerdeType.KEY, {});
    assert.equal(await deserializer.deserialize('users', bytes), 'user-42');
});

serverTest('Avro: auto-register of an incompatible value is refused with 409', async (t, { newClient }) => {
    await new AvroSerializer(newClient(), SerdeType.VALUE, { autoRegisterSchemas: true }).serialize('users', { name: 'A', age: 1 });
    // Same record name, `age` now a string: int and string do not promote.
    const serializer = new AvroSerializer(newClient(), SerdeType.VALUE, { autoRegisterSchemas: true });
    await assert.rejects(serializer.serialize('users', { name: 'A', age: 'one' }), (error) => {
        assert.equal(error.status, 409, String(error));
        assert.equal(error.errorCode, 409, String(error));
        return true;
    });
    assert.deepEqual(await newClient().getAllVersions('users-value'), [1]);
});

// -- JSON Schema -------------------------------------------------------------------

const PRODUCT = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Product',
    type: 'object',
    properties: {
        id: { type: 'integer' },
        name: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['id', 'name'],
    additionalProperties: false,
};

serverTest('JSON Schema: auto-register, wire format, deserialize back', async (t, { client, newClient }) => {
    const serializer = new JsonSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
    const value = { id: 7, name: 'widget', tags: ['a', 'b'] };
    const bytes = await serializer.serialize('products', value);
    const latest = await newClient().getLatestSchemaMetadata('products-value');
    assert.equal(latest.schemaType, 'JSON');
    assert.equal(wireId(bytes), latest.id);
    assert.deepEqual(JSON.parse(bytes.subarray(5).toString('utf8')), value);
    const deserializer = new JsonDeserializer(newClient(), SerdeType.VALUE, {});
    assert.deepEqual(await deserializer.deserialize('products', bytes), value);
});

serverTest('JSON Schema: useLatestVersion with validation', async (t, { newClient }) => {
    const id = await newClient().register('products-value', { schemaType: 'JSON', schema: JSON.stringify(PRODUCT) });
    const serializer = new JsonSerializer(newClient(), SerdeType.VALUE, {
        autoRegisterSchemas: false,
        useLatestVersion: true,
        validate: true,
    });
    const value = { id: 1, name: 'gadget' };
    const bytes = await serializer.serialize('products', value);
    assert.equal(wireId(bytes), id);
    const deserializer = new JsonDeserializer(newClient(), SerdeType.VALUE, { validate: true });
    assert.deepEqual(await deserializer.deserialize('products', bytes), value);
    // The registered schema (as served back by treaty) rejects a bad value.
    await assert.rejects(serializer.serialize('products', { id: 'x', name: 'gadget' }), SerializationError);
    await assert.rejects(serializer.serialize('products', { id: 2, name: 'gadget', extra: true }), SerializationError);
});

// -- Protobuf ----------------------------------------------------------------------

// Descriptors built with @bufbuild/protobuf, as protoc-gen-es generated code
// would embed them: test/address.proto, and test/shop.proto importing it.
function field(name, number, type, extra = {}) {
    return { name, number, type, label: Label.OPTIONAL, jsonName: name, ...extra };
}

const ADDRESS_PROTO = create(FileDescriptorProtoSchema, {
    name: 'test/address.proto',
    package: 'test',
    syntax: 'proto3',
    messageType: [{ name: 'Address', field: [field('street', 1, Type.STRING), field('city', 2, Type.STRING)] }],
});

const SHOP_PROTO = create(FileDescriptorProtoSchema, {
    name: 'test/shop.proto',
    package: 'test',
    syntax: 'proto3',
    dependency: ['test/address.proto'],
    messageType: [
        {
            name: 'Customer',
            field: [
                field('name', 1, Type.STRING),
                field('id', 2, Type.INT64),
                field('address', 3, Type.MESSAGE, { typeName: '.test.Address' }),
            ],
        },
        {
            name: 'Order',
            field: [field('number', 1, Type.INT32), field('items', 2, Type.STRING, { label: Label.REPEATED })],
            nestedType: [{ name: 'Line', field: [field('sku', 1, Type.STRING), field('quantity', 2, Type.INT32)] }],
        },
    ],
});

const PERSON_PROTO = create(FileDescriptorProtoSchema, {
    name: 'test/person.proto',
    package: 'test',
    syntax: 'proto3',
    messageType: [{ name: 'Person', field: [field('name', 1, Type.STRING), field('age', 2, Type.INT32)] }],
});

function protoTypes() {
    const addressFiles = createFileRegistry(ADDRESS_PROTO, () => undefined);
    const shopFiles = createFileRegistry(SHOP_PROTO, (name) => addressFiles.getFile(name));
    const personFiles = createFileRegistry(PERSON_PROTO, () => undefined);
    const all = createFileRegistry(addressFiles, shopFiles, personFiles);
    const Person = all.getMessage('test.Person');
    const Customer = all.getMessage('test.Customer');
    const Address = all.getMessage('test.Address');
    const Order = all.getMessage('test.Order');
    const Line = all.getMessage('test.Order.Line');
    for (const desc of [Person, Customer, Address, Order, Line]) {
        assert.ok(desc, 'descriptor missing');
    }
    return { registry: createMutableRegistry(Person, Customer, Address, Order, Line), Person, Customer, Address, Order, Line };
}

serverTest('Protobuf: auto-register a single file, wire format, deserialize back', async (t, { client, newClient }) => {
    const { registry, Person } = protoTypes();
    const serializer = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry });
    const value = create(Person, { name: 'Erin', age: 33 });
    const bytes = await serializer.serialize('people', value);

    const latest = await newClient().getLatestSchemaMetadata('people-value');
    assert.equal(latest.schemaType, 'PROTOBUF');
    assert.equal(latest.version, 1);
    assert.equal(wireId(bytes), latest.id);
    // The client registered a base64 FileDescriptorProto; treaty serves .proto text.
    assert.match(latest.schema, /message Person/);
    // Message indexes [0] are written as the single byte 0.
    assert.equal(bytes[5], 0);

    const deserializer = new ProtobufDeserializer(newClient(), SerdeType.VALUE, {});
    const back = await deserializer.deserialize('people', bytes);
    assert.equal(back.$typeName, 'test.Person');
    assert.ok(equals(Person, back, value), `got ${JSON.stringify(back)}`);

    // Same descriptor again from a fresh client: same id, no new version.
    const again = await new ProtobufSerializer(newClient(), SerdeType.VALUE, { autoRegisterSchemas: true, registry }).serialize(
        'people',
        create(Person, { name: 'Finn', age: 1 }),
    );
    assert.equal(wireId(again), latest.id);
    assert.deepEqual(await newClient().getAllVersions('people-value'), [1]);
});

serverTest('Protobuf: an import registered as a reference, message indexes, nested message', async (t, { client, newClient }) => {
    const { registry, Customer, Address, Order, Line } = protoTypes();
    const serializer = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry });

    const customer = create(Customer, {
        name: 'Gus',
        id: 9007199254740993n,
        address: create(Address, { street: '1 Main St', city: 'Springfield' }),
    });
    const bytes = await serializer.serialize('shop', customer);

    // The import went in first, under its file name, and shop-value refers to it.
    const c = newClient();
    assert.ok((await c.getAllSubjects()).includes('test/address.proto'));
    const latest = await c.getLatestSchemaMetadata('shop-value');
    assert.equal(wireId(bytes), latest.id);
    assert.deepEqual(latest.references, [{ name: 'test/address.proto', subject: 'test/address.proto', version: 1 }]);
    assert.equal(bytes[5], 0);

    const deserializer = new ProtobufDeserializer(newClient(), SerdeType.VALUE, {});
    const back = await deserializer.deserialize('shop', bytes);
    assert.equal(back.$typeName, 'test.Customer');
    assert.ok(equals(Customer, back, customer), `got ${JSON.stringify(back, (k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);

    // Order is the second top-level message: indexes [1] = varint count 1, index 1 (zigzag: 02 02).
    const order = create(Order, { number: 12, items: ['x', 'y'] });
    const orderBytes = await serializer.serialize('shop', order);
    assert.equal(wireId(orderBytes), latest.id);
    assert.deepEqual([...orderBytes.subarray(5, 7)], [2, 2]);
    const orderBack = await deserializer.deserialize('shop', orderBytes);
    assert.equal(orderBack.$typeName, 'test.Order');
    assert.ok(equals(Order, orderBack, order));

    // Order.Line is nested: indexes [1, 0] = 04 02 00.
    const line = create(Line, { sku: 'abc', quantity: 3 });
    const lineBytes = await serializer.serialize('shop', line);
    assert.deepEqual([...lineBytes.subarray(5, 8)], [4, 2, 0]);
    const lineBack = await deserializer.deserialize('shop', lineBytes);
    assert.equal(lineBack.$typeName, 'test.Order.Line');
    assert.ok(equals(Line, lineBack, line));
    assert.deepEqual(await newClient().getAllVersions('shop-value'), [1]);
});

serverTest(
    'Avro: useLatestWithMetadata picks the version by its metadata',
    async (t, { newClient }) => {
        const id1 = await newClient().register('users-value', {
            schemaType: 'AVRO',
            schema: JSON.stringify(USER_V1),
            metadata: { properties: { release: 'v1' } },
        });
        await newClient().register('users-value', {
            schemaType: 'AVRO',
            schema: JSON.stringify(USER_V2),
            metadata: { properties: { release: 'v2' } },
        });
        const serializer = new AvroSerializer(newClient(), SerdeType.VALUE, {
            autoRegisterSchemas: false,
            useLatestWithMetadata: { release: 'v1' },
        });
        const value = { name: 'Hana', age: 27 };
        const bytes = await serializer.serialize('users', value);
        assert.equal(wireId(bytes), id1);
        assert.deepEqual(bytes.subarray(5), avsc.Type.forSchema(USER_V1).toBuffer(value));
        const deserializer = new AvroDeserializer(newClient(), SerdeType.VALUE, {});
        assert.deepEqual({ ...(await deserializer.deserialize('users', bytes)) }, value);
    },
);
