// What every browser test of the web UI shares: a fresh `treaty serve` on
// its own data directory and port, Debian's chromium driven by
// playwright-core, the REST calls that seed data, and screenshots.
//
// The binary comes from $TREATY_BIN (default
// ${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty).

import {spawn, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';

const LISTENING = /treaty listening on (\S+:\d+)/;
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

function binary() {
  if (process.env.TREATY_BIN) return process.env.TREATY_BIN;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'treaty', 'target');
  return join(target, 'debug', 'treaty');
}

/** Starts treaty on 127.0.0.1:0 in a fresh data directory, which
 * `prepare(dataDir)` may fill first. */
export async function startTreaty(args = [], prepare = async () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'treaty-ui-'));
  await prepare(join(dir, 'data'));
  const child = spawn(binary(), ['serve', '--listen', '127.0.0.1:0', '--data-dir', join(dir, 'data'), ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: {...process.env, TREATY_LOG: 'warn'},
  });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = LISTENING.exec(seen);
      if (match) resolve(`http://${match[1]}`);
    });
    child.on('exit', (code) => reject(new Error(`treaty exited with ${code}: ${seen}`)));
  });
  child.stdout.resume();
  return {
    url,
    dir,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, {recursive: true, force: true});
    },
  };
}

/** `treaty import` of JSON lines (the `_schemas` records) into `dataDir`. */
export function importRecords(dataDir, lines) {
  const file = `${dataDir}.jsonl`;
  writeFileSync(file, lines.join('\n') + '\n');
  const result = spawnSync(binary(), ['import', '--data-dir', dataDir, file], {encoding: 'utf8'});
  if (result.status !== 0) throw new Error(`treaty import: ${result.stderr}`);
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that collects console errors (CSP violations among them) and
 * failed responses in `page.problems`, which tests expect empty. */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({viewport: {width: 1400, height: 900}, ...options});
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    // Failed loads are reported with their URL below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) page.problems.push(message.text());
  });
  page.on('pageerror', (error) => page.problems.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) page.problems.push(`${response.status()} ${response.url()}`);
  });
  return page;
}

/** Opens `#hash` of the UI and waits until its view has rendered (the
 * previous view's elements would otherwise still be found). */
export async function visit(page, base, hash) {
  await page.goto(`${base}/ui/${hash}`);
  await renderedAt(page, hash);
}

/** Waits until the view of the page's current URL has rendered. */
export async function rendered(page) {
  await renderedAt(page, new URL(page.url()).hash);
}

// A selector, not `waitForFunction`: the page's Content-Security-Policy
// forbids the evaluation that polls with.
async function renderedAt(page, hash) {
  await page.locator(`body[data-rendered=${JSON.stringify(hash)}]`).waitFor({state: 'attached'});
}

/** A REST call as any client makes it; answers the parsed body and status. */
export async function rest(base, method, path, body, authorization) {
  const headers = {'Content-Type': 'application/vnd.schemaregistry.v1+json'};
  if (authorization) headers.Authorization = authorization;
  const response = await fetch(base + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  return {status: response.status, body: text ? JSON.parse(text) : null};
}

/** Registers an Avro schema, failing the test if the registry refuses it. */
export async function register(base, subject, schema, authorization) {
  const reply = await rest(base, 'POST', `/subjects/${encodeURIComponent(subject)}/versions`, {schema: JSON.stringify(schema)}, authorization);
  if (reply.status !== 200) throw new Error(`register ${subject}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.id;
}

export function avroRecord(name, fields) {
  return {type: 'record', name, fields: fields.map(([field, type]) => ({name: field, type}))};
}

/** A full-page screenshot in tests/ui/screenshots (git-ignored; kept by CI). */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, {recursive: true});
  await page.screenshot({path: join(SCREENSHOTS, `${name}.png`), fullPage: true});
}

export function basic(user, password) {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
