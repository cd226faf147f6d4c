// The subject page (as stored and normalized), lookup by id, comparing two
// versions (also in read-only mode), and a referenced version's deletes
// refused.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {avroRecord, launchBrowser, openPage, register, rendered, rest, screenshot, startTreaty, visit} from './harness.mjs';

let treaty;
let browser;
let ids;
/** Keys out of order: normalising sorts them. */
const EVENT = JSON.stringify({type: 'object', properties: {when: {type: 'string'}, at: {type: 'integer'}}});

before(async () => {
  treaty = await startTreaty();
  browser = await launchBrowser();
  const base = treaty.url;
  await rest(base, 'PUT', '/config/orders-value', {compatibility: 'NONE'});
  ids = [
    await register(base, 'orders-value', avroRecord('Order', [['id', 'long'], ['total', 'double']])),
    // Drops `total` (old readers need it) and adds `currency` without a default (new readers miss it).
    await register(base, 'orders-value', avroRecord('Order', [['id', 'long'], ['currency', 'string']])),
  ];
  await rest(base, 'PUT', '/config/orders-value', {compatibility: 'BACKWARD'});
  await rest(base, 'PUT', '/config', {compatibility: 'FULL'});
  const referenced = {schema: JSON.stringify(avroRecord('Line', [['sku', 'string']])), subject: 'line'};
  await register(base, 'line', JSON.parse(referenced.schema));
  const withReference = await rest(base, 'POST', '/subjects/basket/versions', {
    schema: JSON.stringify(avroRecord('Basket', [['line', 'Line']])),
    references: [{name: 'Line', subject: 'line', version: 1}],
  });
  assert.equal(withReference.status, 200, JSON.stringify(withReference.body));
  ids.push(withReference.body.id);
  const unsorted = await rest(base, 'POST', '/subjects/events/versions', {schemaType: 'JSON', schema: EVENT});
  assert.equal(unsorted.status, 200, JSON.stringify(unsorted.body));
});

after(async () => {
  await browser?.close();
  await treaty?.stop();
});

test('a subject page shows its versions, schema, id, references and settings with their source', async () => {
  const page = await openPage(browser);
  await visit(page, treaty.url, '#/subject/orders-value');
  await page.locator('#schema-id').waitFor();
  assert.equal(await page.locator('#schema-id').textContent(), String(ids[1]));
  assert.equal(await page.locator('#compatibility').textContent(), 'BACKWARD (subject)');
  assert.equal(await page.locator('#mode').textContent(), 'READWRITE (default)');
  assert.deepEqual(await page.locator('#versions a').allTextContents(), ['v1', 'v2']);
  const schema = JSON.parse(await page.locator('#schema').textContent());
  assert.deepEqual(schema.fields.map((f) => f.name), ['id', 'currency']);
  assert.match(await page.locator('#schema').textContent(), /\n {2}"type": "record"/);
  await screenshot(page, 'subject');

  await visit(page, treaty.url, '#/subject/line');
  await page.locator('#referenced-by').waitFor();
  assert.equal(await page.locator('#compatibility').textContent(), 'FULL (global)');
  assert.deepEqual(await page.locator('#referenced-by li').allTextContents(), [`schema id ${ids[2]}`]);
  await visit(page, treaty.url, '#/subject/basket');
  await page.locator('#references').waitFor();
  assert.deepEqual(await page.locator('#references li').allTextContents(), ['Line → line v1']);
  assert.deepEqual(page.problems, []);
});

test('a schema id typed in the search box shows the schema and who uses it', async () => {
  const page = await openPage(browser);
  await visit(page, treaty.url, '#/subjects');
  await page.locator('#count').waitFor();
  await page.locator('#search-box').fill(String(ids[0]));
  await page.locator('#search-box').press('Enter');
  await rendered(page);
  assert.match(page.url(), new RegExp(`#/schema/${ids[0]}$`));
  assert.deepEqual(await page.locator('#holders li').allTextContents(), ['orders-value v1']);
  await screenshot(page, 'schema-by-id');
  await page.locator('#holders a').click();
  await rendered(page);
  assert.equal(await page.locator('#schema-id').textContent(), String(ids[0]));
  assert.deepEqual(page.problems, []);
});

async function compareBreaking(page) {
  await visit(page, treaty.url, '#/compare/orders-value/1/2');
  await page.locator('#changes').waitFor();
  assert.match(await page.locator('#verdict').textContent(), /^Breaking under BACKWARD/);
  const rows = await page.locator('#changes tbody tr').evaluateAll((rows) => rows.map((r) => ({
    rule: r.dataset.rule,
    breaking: r.dataset.breaking,
    cells: [...r.cells].map((c) => c.textContent),
  })));
  const backward = rows.find((r) => r.cells[2] === 'backward');
  const forward = rows.find((r) => r.cells[2] === 'forward');
  assert.equal(backward.rule, 'READER_FIELD_MISSING_DEFAULT_VALUE');
  assert.equal(backward.breaking, 'true');
  assert.equal(backward.cells[0], 'breaking');
  assert.match(backward.cells[3], /^\/fields\/1/);
  assert.equal(forward.breaking, 'false');
  assert.equal(forward.cells[0], 'compatible');
  assert.match(await page.locator('#old-schema').textContent(), /"total"/);
  assert.match(await page.locator('#new-schema').textContent(), /"currency"/);
}

test('comparing two versions marks the breaking change as breaking under the subject level', async () => {
  const page = await openPage(browser);
  await visit(page, treaty.url, '#/subject/orders-value');
  await page.locator('#compare-link').click();
  await rendered(page);
  assert.match(page.url(), /#\/compare\/orders-value\/1\/2$/);
  await compareBreaking(page);
  await screenshot(page, 'compare');
  assert.deepEqual(page.problems, []);
});

test('compare works in read-only mode, where the register form is hidden', async () => {
  assert.equal((await rest(treaty.url, 'PUT', '/mode', {mode: 'READONLY'})).status, 200);
  try {
    const page = await openPage(browser);
    await compareBreaking(page);
    assert.equal(await page.getByRole('link', {name: 'Test & register'}).isVisible(), false);
    await screenshot(page, 'compare-read-only');
    assert.deepEqual(page.problems, []);
  } finally {
    await rest(treaty.url, 'PUT', '/mode', {mode: 'READWRITE'});
  }
});

test('the schema shows as stored or normalized, and the choice lives in the URL', async () => {
  const page = await openPage(browser);
  const keys = async () => JSON.parse(await page.locator('#schema').textContent());
  await visit(page, treaty.url, '#/subject/events');
  await page.locator('#schema').waitFor();
  assert.equal(await page.locator('#form-stored').getAttribute('aria-current'), 'true');
  assert.deepEqual(Object.keys(await keys()), ['type', 'properties']);
  assert.deepEqual(Object.keys((await keys()).properties), ['when', 'at']);

  await page.locator('#form-normalized').click();
  await rendered(page);
  assert.match(page.url(), /#\/subject\/events\?version=1&form=normalized$/);
  assert.equal(await page.locator('#form-normalized').getAttribute('aria-current'), 'true');
  const normalized = await keys();
  assert.deepEqual(Object.keys(normalized), ['properties', 'type']);
  assert.deepEqual(Object.keys(normalized.properties), ['at', 'when']);
  // The same schema either way: only the form differs.
  assert.deepEqual(normalized, JSON.parse(EVENT));
  await screenshot(page, 'subject-normalized');

  await page.locator('#form-stored').click();
  await rendered(page);
  assert.deepEqual(Object.keys(await keys()), ['type', 'properties']);
  assert.deepEqual(page.problems, []);
});

test('deleting a referenced version or subject is refused, and the page says why', async () => {
  const page = await openPage(browser);
  page.on('dialog', (dialog) => dialog.accept());
  await visit(page, treaty.url, '#/subject/line');
  const because = `referenced by 1 schema (id ${ids[2]}): the registry refuses`;
  assert.ok((await page.locator('#delete-version-summary').textContent()).includes(`v1 is ${because}`));
  assert.ok((await page.locator('#delete-subject-summary').textContent()).includes(because));
  for (const action of ['delete-version', 'delete-subject']) {
    await page.locator(`#${action}`).click();
    await page.locator(`#${action}-outcome [role=alert]`).waitFor();
    assert.match(await page.locator(`#${action}-outcome`).textContent(), /references? exist/i);
  }
  const versions = await rest(treaty.url, 'GET', '/subjects/line/versions');
  assert.deepEqual(versions.body, [1]);
  await screenshot(page, 'delete-refused');
  // The refusals themselves are the failed responses.
  assert.deepEqual(page.problems.map((p) => p.split(' ')[0]), ['422', '422']);
});
