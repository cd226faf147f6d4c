// With authentication on: signing in with a password or a bearer token,
// settings of a subject and a context (inherited against own), the
// `force` a mode change may need, and what a principal's role hides.

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

/** A page signed in through the UI's own form, with `user`'s password
 * or, given `token`, as a bearer. */
async function signIn(user, token = null) {
  const page = await openPage(browser);
  await page.goto(`${treaty.url}/ui/#/subjects`);
  await page.locator('#login').waitFor();
  if (token) {
    await page.locator('#login input[name=token]').fill(token);
  } else {
    await page.locator('#login input[name=user]').fill(user);
    await page.locator('#login input[name=password]').fill(`${user}-pass`);
  }
  await page.locator('#login button').click();
  await rendered(page);
  // The 401 that led to the form is expected.
  page.problems = [];
  return page;
}

/** `GET path` as admin: its status and body. */
const asAdmin = (path) => rest(treaty.url, 'GET', path, undefined, ADMIN);

/** The 404s (40408, 40409) by which the settings page learns that `scope`
 * has no setting of its own are expected: `problems` without them. */
function unexpected(problems, scope) {
  const path = encodeURIComponent(scope).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const inherits = new RegExp(`^404 .*/(config|mode)/${path}\\?defaultToGlobal=false$`);
  return problems.filter((p) => !inherits.test(p));
}

/** Picks `value` in the `editor` section (compatibility, mode) and saves;
 * waits, unless `effective` is null, until that is what applies. */
async function choose(page, editor, value, effective) {
  await page.locator(`#${editor} select`).selectOption(value);
  await page.locator(`#${editor}-save`).click();
  if (effective) await page.locator(`#${editor}-effective`).filter({hasText: effective}).waitFor();
}

/** Clears the scope's own setting in `editor`, and waits until it inherits. */
async function clear(page, editor) {
  await page.locator(`#${editor}-clear`).click();
  await page.locator(`#${editor}-own`).filter({hasText: 'none (inherited)'}).waitFor();
}

test('a subject setting shows inherited, then its own value, then inherited again', async () => {
  const page = await signIn('admin');
  await visit(page, treaty.url, '#/settings?subject=orders-value');
  await page.locator('#compatibility-own').waitFor();
  assert.equal(await page.locator('#compatibility-effective').textContent(), 'BACKWARD (default)');
  assert.equal(await page.locator('#compatibility-own').textContent(), 'none (inherited)');
  await choose(page, 'compatibility', 'FULL', 'FULL (subject)');
  assert.equal(await page.locator('#compatibility-own').textContent(), 'FULL');
  await screenshot(page, 'settings-own');
  assert.equal((await asAdmin('/config/orders-value')).body.compatibilityLevel, 'FULL');
  await clear(page, 'compatibility');
  assert.equal(await page.locator('#compatibility-effective').textContent(), 'BACKWARD (default)');
  assert.deepEqual(unexpected(page.problems, 'orders-value'), []);
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

test('a bearer token signs in; a wrong one is refused on the form', async () => {
  const refused = await openPage(browser);
  await refused.goto(`${treaty.url}/ui/#/subjects`);
  await refused.locator('#login input[name=token]').fill('not-the-token');
  await refused.locator('#login button').click();
  await refused.locator('[role=alert]').waitFor();
  assert.match(await refused.locator('[role=alert]').textContent(), /unauthorized/i);
  assert.equal(await refused.locator('#login').count(), 1);

  const page = await signIn(null, 'ci-token-0123456789');
  assert.equal(await page.locator('#whoami').textContent(), 'ci');
  // ci writes orders-*: it sees those subjects and the register form, not the settings.
  assert.deepEqual(await page.locator('#subjects tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.subject)), ['orders-key', 'orders-value']);
  assert.equal(await page.getByRole('link', {name: 'Test & register'}).isVisible(), true);
  assert.equal(await page.getByRole('link', {name: 'Settings'}).isVisible(), false);
  const session = await rest(treaty.url, 'GET', '/ui/api/session', undefined, 'Bearer ci-token-0123456789');
  assert.equal(session.body.principal, 'ci');
  await screenshot(page, 'bearer');
  assert.deepEqual(page.problems, []);
});

test('a context setting shows as its own there and as inherited by its subjects', async () => {
  await register(treaty.url, ':.staging:orders-value', avroRecord('R', [['a', 'int']]), ADMIN);
  const page = await signIn('admin');
  await visit(page, treaty.url, '#/settings?subject=:.staging:');
  assert.equal(await page.locator('h1').textContent(), 'Settings: context .staging');
  assert.equal(await page.locator('#compatibility-own').textContent(), 'none (inherited)');
  await choose(page, 'compatibility', 'FORWARD', 'FORWARD (context)');
  assert.equal(await page.locator('#compatibility-own').textContent(), 'FORWARD');
  await choose(page, 'mode', 'READONLY', 'READONLY (context)');
  assert.equal((await asAdmin('/config/:.staging:')).body.compatibilityLevel, 'FORWARD');
  await screenshot(page, 'settings-context');

  // The subject in the context inherits both, and links to where they come from.
  await visit(page, treaty.url, '#/settings?subject=:.staging:orders-value');
  assert.equal(await page.locator('#compatibility-effective').textContent(), 'FORWARD (context)');
  assert.equal(await page.locator('#compatibility-own').textContent(), 'none (inherited)');
  assert.equal(await page.locator('#mode-effective').textContent(), 'READONLY (context)');
  assert.equal(await page.locator('#mode-own').textContent(), 'none (inherited)');
  await page.locator('#parent-scope a').click();
  await rendered(page);
  assert.equal(await page.locator('h1').textContent(), 'Settings: context .staging');

  // Cleared, the context inherits again.
  await clear(page, 'mode');
  await clear(page, 'compatibility');
  assert.equal(await page.locator('#compatibility-effective').textContent(), 'BACKWARD (default)');
  assert.equal((await asAdmin('/config/:.staging:?defaultToGlobal=false')).status, 404);
  const problems = unexpected(unexpected(page.problems, ':.staging:'), ':.staging:orders-value');
  assert.deepEqual(problems, []);
});

test('IMPORT over a live subject is refused until forced, and forcing asks first', async () => {
  const page = await signIn('admin');
  const answers = [];
  page.on('dialog', (dialog) => (answers.shift() ? dialog.accept() : dialog.dismiss()));
  await visit(page, treaty.url, '#/settings?subject=orders-key');
  await choose(page, 'mode', 'IMPORT', null);
  await page.locator('#mode-outcome [role=alert]').waitFor();
  assert.equal(await page.locator('#mode-outcome [role=alert]').textContent(), 'Cannot import since found existing subjects');
  assert.equal(await page.locator('#mode-force-hint').isVisible(), true);
  await screenshot(page, 'mode-refused');

  // Declined, nothing is sent.
  await page.locator('#mode input[name=force]').check();
  answers.push(false);
  const asked = page.waitForEvent('dialog');
  await page.locator('#mode-save').click();
  assert.match((await asked).message(), /^Force the mode IMPORT on orders-key\?/);
  assert.equal((await asAdmin('/mode/orders-key?defaultToGlobal=false')).status, 404);

  answers.push(true);
  await choose(page, 'mode', 'IMPORT', 'IMPORT (subject)');
  assert.equal(await page.locator('#mode-own').textContent(), 'IMPORT');
  assert.equal((await asAdmin('/mode/orders-key')).body.mode, 'IMPORT');
  await clear(page, 'mode');
  // The refusal is the one failed response besides the inherited lookups.
  assert.deepEqual(unexpected(page.problems, 'orders-key').map((p) => p.split(' ')[0]), ['422']);
});
