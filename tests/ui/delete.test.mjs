// Deletes from the subject page, soft then permanent, each after a summary
// of what goes: a single version (and whether its schema id stays
// reachable), and a whole subject.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {avroRecord, launchBrowser, openPage, register, rendered, rest, screenshot, startTreaty, visit} from './harness.mjs';

let treaty;
let browser;
/** history v1, v2, v3; v2's schema is history-copy's v1 too. */
let ids;
let payments;

before(async () => {
  treaty = await startTreaty();
  browser = await launchBrowser();
  const base = treaty.url;
  await rest(base, 'PUT', '/config/history', {compatibility: 'NONE'});
  ids = [];
  for (const field of ['a', 'b', 'c']) ids.push(await register(base, 'history', avroRecord('H', [[field, 'int']])));
  assert.equal(await register(base, 'history-copy', avroRecord('H', [['b', 'int']])), ids[1]);
  payments = await register(base, 'payments', avroRecord('P', [['a', 'int']]));
});

after(async () => {
  await browser?.close();
  await treaty?.stop();
});

/** A page that accepts every confirmation, keeping what each asked. */
async function confirmingPage() {
  const page = await openPage(browser);
  page.asked = [];
  page.on('dialog', (dialog) => {
    page.asked.push(dialog.message());
    dialog.accept();
  });
  return page;
}

/** Clicks `#id` and waits for the page after it: `url` when the delete
 * leads elsewhere, else the same view (reloaded) with `#id` now reading
 * `label`. Answers the summary the confirmation showed. */
async function deleteWith(page, id, {url, label}) {
  const summary = await page.locator(`#${id}-summary`).textContent();
  await page.locator(`#${id}`).click();
  if (url) {
    await page.waitForURL(url);
    await rendered(page);
  } else {
    await page.locator(`#${id}`).filter({hasText: label}).waitFor();
  }
  assert.equal(page.asked.at(-1), summary);
  return summary;
}

const status = async (path) => (await rest(treaty.url, 'GET', path)).status;

test('a version held by another subject too: soft-deleted, then deleted for good, its id still reachable', async () => {
  const page = await confirmingPage();
  await visit(page, treaty.url, '#/subject/history?version=2');
  const soft = await deleteWith(page, 'delete-version', {label: 'Delete version 2 permanently'});
  assert.equal(soft, `Soft-delete history v2: it stops being served and v3 stays the latest; schema id ${ids[1]} stays readable by id, and the version with deleted=true until it is deleted permanently.`);
  assert.deepEqual((await rest(treaty.url, 'GET', '/subjects/history/versions')).body, [1, 3]);
  assert.match(await page.locator('#facts').textContent(), /soft-deleted/);
  await screenshot(page, 'version-soft-deleted');

  const permanent = await deleteWith(page, 'delete-version', {url: /#\/subject\/history$/});
  assert.equal(permanent, `Permanently delete history v2: schema id ${ids[1]} stays reachable: history-copy v1 also holds it.`);
  assert.deepEqual((await rest(treaty.url, 'GET', '/subjects/history/versions?deleted=true')).body, [1, 3]);
  assert.equal(await status(`/schemas/ids/${ids[1]}`), 200);
  assert.deepEqual(page.problems, []);
});

test('the latest version, held by no other: deleting it for good makes its id unreachable', async () => {
  const page = await confirmingPage();
  await visit(page, treaty.url, '#/subject/history');
  const soft = await deleteWith(page, 'delete-version', {url: /#\/subject\/history\?version=3$/});
  assert.match(soft, /^Soft-delete history v3: it stops being served and the latest version becomes v1;/);
  // Soft-deleted, the id still answers.
  assert.equal(await status(`/schemas/ids/${ids[2]}`), 200);

  const permanent = await deleteWith(page, 'delete-version', {url: /#\/subject\/history$/});
  assert.equal(permanent, `Permanently delete history v3: schema id ${ids[2]} stops being reachable: no other subject-version holds it.`);
  await screenshot(page, 'version-deleted');
  assert.equal(await status(`/schemas/ids/${ids[2]}`), 404);
  assert.deepEqual((await rest(treaty.url, 'GET', '/subjects/history/versions?deleted=true')).body, [1]);
  assert.equal(await page.locator('#schema-id').textContent(), String(ids[0]));
  assert.deepEqual(page.problems, []);
});

test('a subject is soft-deleted, then deleted permanently', async () => {
  const page = await confirmingPage();
  await visit(page, treaty.url, '#/subject/payments');
  assert.equal(await page.locator('#delete-subject').textContent(), 'Delete subject');
  await deleteWith(page, 'delete-subject', {label: 'Delete subject permanently'});
  assert.equal(await page.locator('#delete-subject-summary').textContent(),
    `Permanently delete payments: 1 soft-deleted version and its own compatibility and mode go for good; schema id ${payments} stops being reachable: no other subject holds it.`);
  assert.deepEqual((await rest(treaty.url, 'GET', '/subjects/payments/versions?deleted=true')).body, [1]);
  await screenshot(page, 'subject-soft-deleted');
  await deleteWith(page, 'delete-subject', {url: /#\/subjects$/});
  assert.equal(await status('/subjects/payments/versions?deleted=true'), 404);
  // A subject with no live version has no live list: the page reads that 404.
  assert.deepEqual(page.problems.filter((p) => !/^404 .*\/subjects\/payments\/versions$/.test(p)), []);
});
