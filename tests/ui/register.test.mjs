// Test and register: a failing check shows its messages and keeps the form;
// a passing one lets the schema be registered.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {avroRecord, launchBrowser, openPage, register, rest, screenshot, startTreaty, visit} from './harness.mjs';

let treaty;
let browser;

before(async () => {
  treaty = await startTreaty();
  browser = await launchBrowser();
  await register(treaty.url, 'orders-value', avroRecord('Order', [['id', 'long']]));
});

after(async () => {
  await browser?.close();
  await treaty?.stop();
});

async function fillForm(page, schema) {
  await visit(page, treaty.url, '#/register?subject=orders-value');
  await page.locator('#test-form textarea').fill(JSON.stringify(schema));
}

test('a failing check shows each message with its path and keeps the form', async () => {
  const page = await openPage(browser);
  // A new field without a default breaks BACKWARD.
  const breaking = avroRecord('Order', [['id', 'long'], ['currency', 'string']]);
  await fillForm(page, breaking);
  await page.locator('#check').click();
  await page.locator('#check-failed').waitFor();
  const messages = await page.locator('#messages li').allTextContents();
  assert.ok(messages.some((m) => m.includes('READER_FIELD_MISSING_DEFAULT_VALUE') && m.includes('/fields/1')), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes("compatibility: 'BACKWARD'")), messages.join('\n'));
  assert.equal(await page.locator('#register').isDisabled(), true);
  assert.deepEqual(JSON.parse(await page.locator('#test-form textarea').inputValue()), breaking);
  assert.equal(await page.locator('#test-form input[name=subject]').inputValue(), 'orders-value');
  await screenshot(page, 'register-failed-check');
  const versions = await rest(treaty.url, 'GET', '/subjects/orders-value/versions');
  assert.deepEqual(versions.body, [1]);
  assert.deepEqual(page.problems, []);
});

test('a passing check enables registering, which the registry then serves', async () => {
  const page = await openPage(browser);
  const optional = avroRecord('Order', [['id', 'long']]);
  optional.fields.push({name: 'currency', type: ['null', 'string'], default: null});
  await fillForm(page, optional);
  assert.equal(await page.locator('#register').isDisabled(), true);
  await page.locator('#check').click();
  await page.locator('#check-passed').waitFor();
  // Editing after the check asks for a new one.
  await page.locator('#test-form textarea').press('End');
  await page.locator('#test-form textarea').type(' ');
  assert.equal(await page.locator('#register').isDisabled(), true);
  await page.locator('#check').click();
  await page.locator('#check-passed').waitFor();
  await page.locator('#register').click();
  await page.locator('#registered').waitFor();
  const latest = await rest(treaty.url, 'GET', '/subjects/orders-value/versions/latest');
  assert.equal(latest.body.version, 2);
  assert.match(await page.locator('#registered').textContent(), new RegExp(`^Registered with id ${latest.body.id}`));
  await screenshot(page, 'register-done');
  assert.deepEqual(page.problems, []);
});
