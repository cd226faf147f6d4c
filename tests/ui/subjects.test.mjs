// The subjects list at 100,000 subjects: one request per page, filters
// kept in the URL.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {avroRecord, importRecords, launchBrowser, openPage, rendered, rest, screenshot, startTreaty, visit} from './harness.mjs';

const SUBJECTS = 100_000;
let treaty;
let browser;

/** `subject-000000` … as the records registering them writes: 100,000
 * registrations through HTTP take minutes, `treaty import` seconds. */
function seed(dataDir) {
  const schema = JSON.stringify(avroRecord('Row', [['n', 'int']]));
  const lines = [JSON.stringify({key: {keytype: 'ID_WATERMARK', context: '.', magic: 0}, value: {id: 1}})];
  for (let n = 0; n < SUBJECTS; n++) {
    const subject = `subject-${String(n).padStart(6, '0')}`;
    lines.push(JSON.stringify({
      key: {keytype: 'SCHEMA', subject, version: 1, magic: 1},
      value: {subject, version: 1, id: 1, schema, deleted: false},
    }));
  }
  importRecords(dataDir, lines);
}

before(async () => {
  treaty = await startTreaty([], async (dataDir) => seed(dataDir));
  browser = await launchBrowser();
  // The one JSON Schema subject, through the REST API.
  const reply = await rest(treaty.url, 'POST', '/subjects/orders-value/versions', {schemaType: 'JSON', schema: '{"type":"object"}'});
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
});

after(async () => {
  await browser?.close();
  await treaty?.stop();
});

test('the list of 100,001 subjects loads with one request for its page', async () => {
  const page = await openPage(browser);
  const calls = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    // The session (who is asking, which mode) is the other request.
    if (request.resourceType() === 'fetch' && path !== '/ui/api/session') calls.push(path);
  });
  await visit(page, treaty.url, '#/subjects');
  assert.equal(await page.locator('#count').textContent(), `1–50 of ${SUBJECTS + 1}`);
  assert.equal(await page.locator('#subjects tbody tr').count(), 50);
  assert.deepEqual(calls, ['/ui/api/subjects']);
  await screenshot(page, 'subjects-list');

  await page.getByRole('link', {name: 'next →'}).click();
  await rendered(page);
  assert.equal(await page.locator('#count').textContent(), `51–100 of ${SUBJECTS + 1}`);
  // `orders-value` sorts first, so the second page starts at the 50th imported subject.
  assert.equal(await page.locator('#subjects tbody tr').first().getAttribute('data-subject'), 'subject-000049');
  assert.deepEqual(calls, ['/ui/api/subjects', '/ui/api/subjects']);
  assert.deepEqual(page.problems, []);
});

test('filters narrow the list and live in the URL', async () => {
  const page = await openPage(browser);
  await visit(page, treaty.url, '#/subjects');
  await page.locator('#count').waitFor();
  await page.locator('#filters input[name=name]').fill('subject-09999');
  await page.locator('#filters button').click();
  await rendered(page);
  assert.equal(await page.locator('#count').textContent(), '1–10 of 10');
  assert.match(page.url(), /#\/subjects\?.*name=subject-09999/);
  const names = await page.locator('#subjects tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.subject));
  assert.deepEqual(names, Array.from({length: 10}, (_, i) => `subject-09999${i}`));

  // Reloading the URL shows the same filtered view; a type filter finds the one JSON subject.
  await visit(page, treaty.url, '#/subjects?type=JSON');
  assert.equal(await page.locator('#count').textContent(), '1–1 of 1');
  assert.equal(await page.locator('#subjects tbody tr').getAttribute('data-subject'), 'orders-value');
  assert.equal(await page.locator('#filters select[name=type]').inputValue(), 'JSON');
  await screenshot(page, 'subjects-filtered');
  assert.deepEqual(page.problems, []);
});
