// Settings (inherited against own), deletes, and what a principal's role
// hides.

import assert from 'node:assert/strict';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, test} from 'node:test';

import {avroRecord, basic, launchBrowser, openPage, register, rendered, rest, screenshot, startTreaty, visit} from './harness.mjs';

const CREDENTIALS = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'auth', 'credentials.json');
const ADMIN = basic('admin', 'admin-pass');

let treaty;
let browser;

before(async () => {
  treaty = await startTreaty(['--auth-file', CREDENTIALS]);
  browser = await launchBrowser();
  for (const subject of ['orders-value', 'orders-key', 'payments']) {
    await register(treaty.url, subject, avroRecord('R', [['a', 'int']]), ADMIN);
  }
});

after(async () => {
  await browser?.close();
  await treaty?.stop();
});

/** A page signed in through the UI's own form. */
async function signIn(user) {
  const page = await openPage(browser);
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto(`${treaty.url}/ui/#/subjects`);
  await page.locator('#login').waitFor();
  await page.locator('#login input[name=user]').fill(user);
  await page.locator('#login input[name=password]').fill(`${user}-pass`);
  await page.locator('#login button').click();
  await rendered(page);
  // The 401 that led to the form is expected.
  page.problems = [];
  return page;
}

test('a subject setting shows inherited, then its own value, then inherited again', async () => {
  const page = await signIn('admin');
  await visit(page, treaty.url, '#/settings?subject=orders-value');
  await page.locator('#compatibility-own').waitFor();
  assert.equal(await page.locator('#compatibility-effective').textContent(), 'BACKWARD (default)');
  assert.equal(await page.locator('#compatibility-own').textContent(), 'none (inherited)');
  await page.locator('#compatibility select').selectOption('FULL');
  await page.locator('#compatibility-save').click();
  await page.locator('#compatibility-effective').filter({hasText: 'FULL (subject)'}).waitFor();
  assert.equal(await page.locator('#compatibility-own').textContent(), 'FULL');
  await screenshot(page, 'settings-own');
  const stored = await rest(treaty.url, 'GET', '/config/orders-value', undefined, ADMIN);
  assert.equal(stored.body.compatibilityLevel, 'FULL');
  await page.locator('#compatibility-clear').click();
  await page.locator('#compatibility-effective').filter({hasText: 'BACKWARD (default)'}).waitFor();
  assert.equal(await page.locator('#compatibility-own').textContent(), 'none (inherited)');
  // A scope without its own setting is a 404 (40408, 40409): how the page learns it inherits.
  assert.deepEqual(page.problems.filter((p) => !/^404 .*\/(config|mode)\/orders-value\?defaultToGlobal=false$/.test(p)), []);
});

test('a subject is soft-deleted, then deleted permanently', async () => {
  const page = await signIn('admin');
  await visit(page, treaty.url, '#/subject/payments');
  await page.locator('#delete-subject').waitFor();
  assert.equal(await page.locator('#delete-subject').textContent(), 'Delete subject');
  await page.locator('#delete-subject').click();
  await page.locator('#delete-subject').filter({hasText: 'Delete permanently'}).waitFor();
  assert.match(await page.locator('#delete-summary').textContent(), /^Permanently delete payments: 1 soft-deleted version/);
  const soft = await rest(treaty.url, 'GET', '/subjects/payments/versions?deleted=true', undefined, ADMIN);
  assert.deepEqual(soft.body, [1]);
  await screenshot(page, 'soft-deleted');
  await page.locator('#delete-subject').click();
  await page.waitForURL(/#\/subjects$/);
  await rendered(page);
  const gone = await rest(treaty.url, 'GET', '/subjects/payments/versions?deleted=true', undefined, ADMIN);
  assert.equal(gone.status, 404);
});

test('a principal that may not write sees no register form nor deletes', async () => {
  const page = await signIn('reader');
  assert.deepEqual(await page.locator('#subjects tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.subject)), ['orders-key', 'orders-value']);
  assert.equal(await page.getByRole('link', {name: 'Test & register'}).isVisible(), false);
  await visit(page, treaty.url, '#/subject/orders-value');
  await page.locator('#schema-id').waitFor();
  assert.equal(await page.locator('#delete-subject').count(), 0);
  assert.equal(await page.getByRole('link', {name: 'Test a new version'}).count(), 0);
  await screenshot(page, 'reader');

  const writer = await signIn('writer');
  assert.equal(await writer.getByRole('link', {name: 'Test & register'}).isVisible(), true);
  assert.deepEqual(page.problems, []);
});
