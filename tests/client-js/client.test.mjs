// Real-client tests: the REST calls of Confluent's JavaScript Schema Registry
// client (@confluentinc/schemaregistry) against a freshly started
// `treaty serve` per test.

import assert from 'node:assert/strict';

import { Compatibility } from '@confluentinc/schemaregistry';

import { restError, serverTest } from './treaty.mjs';

// -- schemas ---------------------------------------------------------------------

// Written in treaty's/CSR's canonical key order (type, name, namespace, fields;
// field: name, type, default), so JSON.stringify of these objects is exactly
// the canonical text the registry stores.
const USER_V1 = {
    type: 'record',
    name: 'User',
    namespace: 'com.example',
    fields: [
        { name: 'name', type: 'string' },
        { name: 'age', type: 'int' },
    ],
};

// BACKWARD compatible with V1: the added field has a default.
const USER_V2 = { ...USER_V1, fields: [...USER_V1.fields, { name: 'email', type: ['null', 'string'], default: null }] };

// Incompatible in both directions: int and string do not promote.
const USER_AGE_STRING = { ...USER_V1, fields: [USER_V1.fields[0], { name: 'age', type: 'string' }] };

const ORDER = {
    type: 'record',
    name: 'Order',
    namespace: 'com.example',
    fields: [
        { name: 'id', type: 'long' },
        { name: 'amount', type: 'double' },
    ],
};

function avro(obj, pretty = false) {
    return { schemaType: 'AVRO', schema: pretty ? JSON.stringify(obj, null, 2) : JSON.stringify(obj) };
}

// -- registration and ids ----------------------------------------------------------

serverTest('register returns a positive integer id', async (t, { client }) => {
    const id = await client.register('users-value', avro(USER_V1));
    assert.ok(Number.isInteger(id) && id > 0, `id ${id}`);
});

serverTest('register the same schema twice: same id, no new version', async (t, { newClient }) => {
    const first = await newClient().register('users-value', avro(USER_V1));
    // A second client instance, so the server (not the client cache) answers.
    const second = await newClient().register('users-value', avro(USER_V1));
    assert.equal(second, first);
    // Whitespace is not significant: the pretty text dedupes to the same id.
    const pretty = await newClient().register('users-value', avro(USER_V1, true));
    assert.equal(pretty, first);
    assert.deepEqual(await newClient().getAllVersions('users-value'), [1]);
});

serverTest('the same schema in two subjects gets the same id', async (t, { newClient }) => {
    const a = await newClient().register('alpha-value', avro(USER_V1));
    const b = await newClient().register('beta-value', avro(USER_V1));
    assert.equal(b, a);
    const c = newClient();
    assert.deepEqual(await c.getAllVersions('alpha-value'), [1]);
    assert.deepEqual(await c.getAllVersions('beta-value'), [1]);
    const meta = await c.getSchemaMetadata('beta-value', 1);
    assert.equal(meta.id, a);
    assert.equal(meta.subject, 'beta-value');
    assert.equal(meta.version, 1);
});

serverTest('different schemas get different ids', async (t, { newClient }) => {
    const a = await newClient().register('users-value', avro(USER_V1));
    const b = await newClient().register('orders-value', avro(ORDER));
    const c = await newClient().register('users-value', avro(USER_V2));
    assert.equal(new Set([a, b, c]).size, 3);
});

serverTest('registerFullResponse carries the id', async (t, { client }) => {
    const response = await client.registerFullResponse('users-value', avro(USER_V1));
    assert.ok(Number.isInteger(response.id) && response.id > 0, JSON.stringify(response));
});

serverTest('a subject with a slash, a space and non-ASCII characters', async (t, { newClient }) => {
    const subject = 'my topic/ünïcode-value';
    const id = await newClient().register(subject, avro(USER_V1));
    const c = newClient();
    assert.ok((await c.getAllSubjects()).includes(subject));
    const latest = await c.getLatestSchemaMetadata(subject);
    assert.equal(latest.subject, subject);
    assert.equal(latest.id, id);
    assert.equal((await c.getSchemaMetadata(subject, 1)).id, id);
    assert.equal((await c.getBySubjectAndId(subject, id)).schema, JSON.stringify(USER_V1));
});

// -- reads -----------------------------------------------------------------------

serverTest('getBySubjectAndId returns the canonical text', async (t, { newClient }) => {
    const id = await newClient().register('users-value', avro(USER_V1, true));
    const info = await newClient().getBySubjectAndId('users-value', id);
    // Confluent omits schemaType for AVRO; the client passes the body through.
    assert.ok(info.schemaType === undefined || info.schemaType === 'AVRO', JSON.stringify(info));
    assert.deepEqual(JSON.parse(info.schema), USER_V1);
    // The stored text is the compact canonical form, not the pretty request text.
    assert.equal(info.schema, JSON.stringify(USER_V1));
    // The subject is a hint only: the id is global.
    const other = await newClient().getBySubjectAndId('no-such-subject', id);
    assert.equal(other.schema, JSON.stringify(USER_V1));
});

serverTest('a primitive is stored as the bare type name', async (t, { newClient }) => {
    const id = await newClient().register('keys-key', { schemaType: 'AVRO', schema: '{"type": "string"}' });
    assert.equal((await newClient().getBySubjectAndId('keys-key', id)).schema, '"string"');
});

serverTest('getLatestSchemaMetadata follows new versions', async (t, { newClient }) => {
    const id1 = await newClient().register('users-value', avro(USER_V1));
    let latest = await newClient().getLatestSchemaMetadata('users-value');
    assert.deepEqual(
        { subject: latest.subject, version: latest.version, id: latest.id },
        { subject: 'users-value', version: 1, id: id1 },
    );
    const id2 = await newClient().register('users-value', avro(USER_V2));
    assert.notEqual(id2, id1);
    latest = await newClient().getLatestSchemaMetadata('users-value');
    assert.deepEqual(
        { subject: latest.subject, version: latest.version, id: latest.id },
        { subject: 'users-value', version: 2, id: id2 },
    );
    assert.deepEqual(JSON.parse(latest.schema), USER_V2);
});

serverTest('getSchemaMetadata by version', async (t, { newClient }) => {
    const id1 = await newClient().register('users-value', avro(USER_V1));
    const id2 = await newClient().register('users-value', avro(USER_V2));
    const c = newClient();
    const v1 = await c.getSchemaMetadata('users-value', 1);
    assert.deepEqual([v1.subject, v1.version, v1.id], ['users-value', 1, id1]);
    assert.deepEqual(JSON.parse(v1.schema), USER_V1);
    const v2 = await c.getSchemaMetadata('users-value', 2);
    assert.deepEqual([v2.version, v2.id], [2, id2]);
});

serverTest('getAllVersions and getAllSubjects', async (t, { newClient }) => {
    assert.deepEqual(await newClient().getAllSubjects(), []);
    await newClient().register('users-value', avro(USER_V1));
    assert.deepEqual(await newClient().getAllVersions('users-value'), [1]);
    await newClient().register('users-value', avro(USER_V2));
    assert.deepEqual(await newClient().getAllVersions('users-value'), [1, 2]);
    await newClient().register('orders-value', avro(ORDER));
    assert.deepEqual((await newClient().getAllSubjects()).sort(), ['orders-value', 'users-value']);
});

// -- lookup ------------------------------------------------------------------------

serverTest('lookup: getId and getVersion of a registered schema', async (t, { newClient }) => {
    const id1 = await newClient().register('users-value', avro(USER_V1));
    const id2 = await newClient().register('users-value', avro(USER_V2));
    // Pretty text looks up the same canonical schema.
    assert.equal(await newClient().getId('users-value', avro(USER_V1, true)), id1);
    assert.equal(await newClient().getId('users-value', avro(USER_V2)), id2);
    const full = await newClient().getIdFullResponse('users-value', avro(USER_V2));
    assert.deepEqual([full.subject, full.version, full.id], ['users-value', 2, id2]);
    assert.deepEqual(JSON.parse(full.schema), USER_V2);
    assert.equal(await newClient().getVersion('users-value', avro(USER_V1)), 1);
    assert.equal(await newClient().getVersion('users-value', avro(USER_V2)), 2);
});

serverTest('lookup of an unregistered schema: 40403; unknown subject: 40401', async (t, { newClient }) => {
    await newClient().register('users-value', avro(USER_V1));
    await restError(404, 40403, newClient().getId('users-value', avro(ORDER)));
    await restError(404, 40401, newClient().getId('nope-value', avro(USER_V1)));
});

// -- compatibility -------------------------------------------------------------------

serverTest('testCompatibility: compatible and incompatible', async (t, { newClient }) => {
    await newClient().register('users-value', avro(USER_V1));
    const c = newClient();
    assert.equal(await c.testSubjectCompatibility('users-value', avro(USER_V2)), true);
    assert.equal(await c.testSubjectCompatibility('users-value', avro(USER_AGE_STRING)), false);
    assert.equal(await c.testCompatibility('users-value', 1, avro(USER_V2)), true);
    assert.equal(await c.testCompatibility('users-value', 1, avro(USER_AGE_STRING)), false);
});

serverTest('testCompatibility against a missing subject or version', async (t, { newClient }) => {
    // As Confluent: nothing to be incompatible with, so "latest" of an unknown
    // subject is compatible, and a numbered version of it is 40402 (not 40401).
    assert.equal(await newClient().testSubjectCompatibility('nope-value', avro(USER_V1)), true);
    await restError(404, 40402, newClient().testCompatibility('nope-value', 1, avro(USER_V1)));
    await newClient().register('users-value', avro(USER_V1));
    await restError(404, 40402, newClient().testCompatibility('users-value', 7, avro(USER_V2)));
});

serverTest('registering an incompatible schema: 409', async (t, { newClient }) => {
    await newClient().register('users-value', avro(USER_V1));
    const error = await restError(409, 409, newClient().register('users-value', avro(USER_AGE_STRING)));
    assert.match(error.message, /incompatible/i);
    assert.deepEqual(await newClient().getAllVersions('users-value'), [1]);
});

// -- config ----------------------------------------------------------------------------

serverTest('getDefaultConfig and updateDefaultConfig', async (t, { newClient }) => {
    assert.equal((await newClient().getDefaultConfig()).compatibilityLevel, 'BACKWARD');
    assert.equal(await newClient().getDefaultCompatibility(), Compatibility.BACKWARD);
    const updated = await newClient().updateDefaultConfig({ compatibility: Compatibility.FULL });
    assert.equal(updated.compatibility, 'FULL');
    assert.equal((await newClient().getDefaultConfig()).compatibilityLevel, 'FULL');
    assert.equal(await newClient().updateDefaultCompatibility(Compatibility.NONE), 'NONE');
    assert.equal(await newClient().getDefaultCompatibility(), 'NONE');
});

serverTest('updateConfig / getConfig per subject', async (t, { newClient }) => {
    await newClient().register('users-value', avro(USER_V1));
    // No subject-level config yet.
    await restError(404, 40408, newClient().getConfig('users-value'));
    const updated = await newClient().updateConfig('users-value', { compatibility: Compatibility.NONE });
    assert.equal(updated.compatibility, 'NONE');
    assert.equal((await newClient().getConfig('users-value')).compatibilityLevel, 'NONE');
    assert.equal(await newClient().getCompatibility('users-value'), 'NONE');
    // NONE lets the incompatible schema in as version 2.
    const id = await newClient().register('users-value', avro(USER_AGE_STRING));
    assert.ok(id > 0);
    assert.deepEqual(await newClient().getAllVersions('users-value'), [1, 2]);
    // The global default is untouched.
    assert.equal((await newClient().getDefaultConfig()).compatibilityLevel, 'BACKWARD');
    assert.equal(await newClient().updateCompatibility('users-value', Compatibility.FORWARD_TRANSITIVE), 'FORWARD_TRANSITIVE');
    assert.equal(await newClient().getCompatibility('users-value'), 'FORWARD_TRANSITIVE');
});

serverTest('an invalid compatibility level: 42203', async (t, { newClient }) => {
    await restError(422, 42203, newClient().updateConfig('users-value', { compatibility: 'SIDEWAYS' }));
    await restError(422, 42203, newClient().updateDefaultConfig({ compatibility: 'SIDEWAYS' }));
});

// -- deletes ---------------------------------------------------------------------------

serverTest('deleteSubject soft, then permanent', async (t, { newClient }) => {
    const id1 = await newClient().register('users-value', avro(USER_V1));
    await newClient().register('users-value', avro(USER_V2));
    await newClient().register('orders-value', avro(ORDER));

    // Permanent delete needs a soft delete first.
    await restError(404, 40405, newClient().deleteSubject('users-value', true));

    assert.deepEqual(await newClient().deleteSubject('users-value'), [1, 2]);
    assert.deepEqual(await newClient().getAllSubjects(), ['orders-value']);
    await restError(404, 40401, newClient().getAllVersions('users-value'));
    await restError(404, 40401, newClient().getLatestSchemaMetadata('users-value'));
    // A soft-deleted version is still readable with deleted=true, and its id still resolves.
    const deleted = await newClient().getSchemaMetadata('users-value', 1, true);
    assert.equal(deleted.id, id1);
    assert.equal((await newClient().getBySubjectAndId('users-value', id1)).schema, JSON.stringify(USER_V1));
    // Soft-deleting again: 40404.
    await restError(404, 40404, newClient().deleteSubject('users-value'));

    assert.deepEqual(await newClient().deleteSubject('users-value', true), [1, 2]);
    await restError(404, 40401, newClient().getSchemaMetadata('users-value', 1, true));
    await restError(404, 40401, newClient().deleteSubject('users-value', true));
    assert.deepEqual(await newClient().getAllSubjects(), ['orders-value']);

    // The subject can be used again and starts over at version 1.
    await newClient().register('users-value', avro(USER_V2));
    assert.deepEqual(await newClient().getAllVersions('users-value'), [1]);
});

serverTest('deleteSubjectVersion soft, then permanent', async (t, { newClient }) => {
    await newClient().register('users-value', avro(USER_V1));
    await newClient().register('users-value', avro(USER_V2));
    await restError(404, 40407, newClient().deleteSubjectVersion('users-value', 2, true));
    assert.equal(await newClient().deleteSubjectVersion('users-value', 2), 2);
    assert.deepEqual(await newClient().getAllVersions('users-value'), [1]);
    assert.equal((await newClient().getLatestSchemaMetadata('users-value')).version, 1);
    assert.equal(await newClient().deleteSubjectVersion('users-value', 2, true), 2);
    await restError(404, 40402, newClient().getSchemaMetadata('users-value', 2, true));
    await restError(404, 40402, newClient().deleteSubjectVersion('users-value', 9));
});

// -- errors ----------------------------------------------------------------------------

serverTest('unknown subject: 40401 from every subject read', async (t, { newClient }) => {
    await restError(404, 40401, newClient().getLatestSchemaMetadata('nope-value'));
    await restError(404, 40401, newClient().getSchemaMetadata('nope-value', 1));
    await restError(404, 40401, newClient().getAllVersions('nope-value'));
    await restError(404, 40401, newClient().deleteSubject('nope-value'));
    await restError(404, 40401, newClient().getVersion('nope-value', avro(USER_V1)));
});

serverTest('unknown version: 40402', async (t, { newClient }) => {
    await newClient().register('users-value', avro(USER_V1));
    await restError(404, 40402, newClient().getSchemaMetadata('users-value', 2));
});

serverTest('unknown schema id: 40403', async (t, { newClient }) => {
    await restError(404, 40403, newClient().getBySubjectAndId('users-value', 12345));
    const id = await newClient().register('users-value', avro(USER_V1));
    await restError(404, 40403, newClient().getBySubjectAndId('users-value', id + 1000));
});

serverTest('an invalid schema: 42201', async (t, { newClient }) => {
    await restError(422, 42201, newClient().register('users-value', { schemaType: 'AVRO', schema: '{"type": "record"' }));
    await restError(
        422,
        42201,
        newClient().register('users-value', { schemaType: 'AVRO', schema: '{"type": "record", "name": "X", "fields": [{"name": "a", "type": "nosuchtype"}]}' }),
    );
    await restError(422, 42201, newClient().register('users-value', { schemaType: 'JSON', schema: '{"type": 12}' }));
    await restError(422, 42201, newClient().register('users-value', { schemaType: 'PROTOBUF', schema: 'message {' }));
    await restError(404, 40401, newClient().getAllVersions('users-value'));
});

// -- data contract metadata --------------------------------------------------------------

// GET /subjects/{subject}/metadata (Confluent 7.4+, "latest with metadata"),
// which getLatestWithMetadata and the serializers' useLatestWithMetadata call.

serverTest('getLatestWithMetadata picks the highest version with matching properties', async (t, { newClient }) => {
    const id1 = await newClient().register('users-value', {
        ...avro(USER_V1),
        metadata: { properties: { owner: 'alice', team: 'core' } },
    });
    const id2 = await newClient().register('users-value', { ...avro(USER_V2), metadata: { properties: { owner: 'bob' } } });
    assert.notEqual(id1, id2);
    const latest = await newClient().getLatestSchemaMetadata('users-value');
    assert.deepEqual(latest.metadata, { properties: { owner: 'bob' } });

    const alice = await newClient().getLatestWithMetadata('users-value', { owner: 'alice' });
    assert.deepEqual([alice.subject, alice.version, alice.id], ['users-value', 1, id1]);
    assert.deepEqual(alice.metadata, { properties: { owner: 'alice', team: 'core' } });
    const both = await newClient().getLatestWithMetadata('users-value', { owner: 'alice', team: 'core' });
    assert.equal(both.version, 1);
    const bob = await newClient().getLatestWithMetadata('users-value', { owner: 'bob' });
    assert.deepEqual([bob.version, bob.id], [2, id2]);
    await restError(404, 40403, newClient().getLatestWithMetadata('users-value', { owner: 'carol' }));
    await restError(404, 40401, newClient().getLatestWithMetadata('nope-value', { owner: 'alice' }));
});
