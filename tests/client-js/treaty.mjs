// Helpers for the JavaScript real-client suite: a fresh `treaty serve` per
// test, and Confluent's JavaScript Schema Registry client pointed at it.
//
// The binary comes from $TREATY_BIN (default
// ${CARGO_TARGET_DIR:-$HOME/.cache/treaty/target}/debug/treaty); the caller
// builds it. Each server listens on 127.0.0.1:0 with its own data directory and
// announces its address on stdout as `treaty listening on 127.0.0.1:PORT`.

import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RestError, SchemaRegistryClient } from '@confluentinc/schemaregistry';

const STARTUP_TIMEOUT_MS = 20_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;
const LISTENING = /treaty listening on (\S+:\d+)/;

export function treatyBinPath() {
    if (process.env.TREATY_BIN) {
        return process.env.TREATY_BIN;
    }
    const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'treaty', 'target');
    return join(target, 'debug', 'treaty');
}

function checkBinary(path) {
    try {
        if (!statSync(path).isFile()) {
            throw new Error('not a file');
        }
        accessSync(path, constants.X_OK);
    } catch (error) {
        throw new Error(
            `treaty binary not found or not executable at ${path} (${error.message}); build it first or set TREATY_BIN`,
        );
    }
}

function readOr(path, fallback = '') {
    try {
        return readFileSync(path, 'utf8');
    } catch {
        return fallback;
    }
}

/**
 * One `treaty serve` process. stdout and stderr go to files (never a pipe that
 * nobody drains: tracing logs would eventually block the server).
 */
export class TreatyServer {
    constructor({ binary = treatyBinPath(), dataDir, extraArgs = [] } = {}) {
        checkBinary(binary);
        this.binary = binary;
        this.workDir = mkdtempSync(join(tmpdir(), 'treaty-client-js-'));
        this.dataDir = dataDir ?? join(this.workDir, 'data');
        this.extraArgs = extraArgs;
        this.stdoutPath = join(this.workDir, 'treaty.stdout');
        this.stderrPath = join(this.workDir, 'treaty.stderr');
        this.child = null;
        this.exit = null;
        this.url = null;
    }

    logs() {
        return [this.stdoutPath, this.stderrPath]
            .map((path) => `--- ${path} ---\n${readOr(path)}`)
            .join('\n');
    }

    async start() {
        assert.equal(this.child, null, 'already started');
        const env = { ...process.env };
        delete env.TREATY_LISTEN;
        delete env.TREATY_DATA_DIR;
        const out = openSync(this.stdoutPath, 'w');
        const err = openSync(this.stderrPath, 'w');
        try {
            this.child = spawn(
                this.binary,
                ['serve', '--listen', '127.0.0.1:0', '--data-dir', this.dataDir, ...this.extraArgs],
                { stdio: ['ignore', out, err], env },
            );
        } finally {
            closeSync(out);
            closeSync(err);
        }
        this.exited = new Promise((resolve) => {
            this.child.once('exit', (code, signal) => {
                this.exit = { code, signal };
                resolve(this.exit);
            });
            this.child.once('error', (error) => {
                this.exit = { code: null, signal: null, error };
                resolve(this.exit);
            });
        });
        const deadline = Date.now() + STARTUP_TIMEOUT_MS;
        while (Date.now() < deadline) {
            const match = LISTENING.exec(readOr(this.stdoutPath));
            if (match) {
                this.url = `http://${match[1]}`;
                return this.url;
            }
            if (this.exit) {
                throw new Error(`treaty exited (${JSON.stringify(this.exit)}) before listening\n${this.logs()}`);
            }
            await sleep(10);
        }
        await this.kill();
        throw new Error(`treaty did not print 'treaty listening on ...' within ${STARTUP_TIMEOUT_MS} ms\n${this.logs()}`);
    }

    /** SIGTERM, wait, then SIGKILL. Resolves to the exit status. */
    async stop() {
        if (this.child == null) {
            return this.exit;
        }
        if (this.exit == null) {
            this.child.kill('SIGTERM');
            const timer = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS, 'timeout'));
            if ((await Promise.race([this.exited, timer])) === 'timeout') {
                this.child.kill('SIGKILL');
                await this.exited;
            }
        }
        this.child = null;
        this.url = null;
        return this.exit;
    }

    async kill() {
        if (this.child != null && this.exit == null) {
            this.child.kill('SIGKILL');
            await this.exited;
        }
        this.child = null;
    }

    cleanup() {
        rmSync(this.workDir, { recursive: true, force: true });
    }
}

/**
 * A Confluent JavaScript client on `url`. No retries: a 5xx from treaty must
 * fail the test at once rather than be retried away.
 *
 * The client caches (subject, schema) -> id, id -> schema, subject/version ->
 * schema and the latest version per subject, so every check that must reach
 * the server uses a fresh client.
 */
export function newClient(url) {
    return new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 });
}

/**
 * A node:test test with its own fresh treaty server. `fn(t, ctx)` gets
 * ctx = { server, url, client, newClient }; `client` is one shared instance,
 * `newClient()` makes a fresh (empty-cache) one. On failure the server's logs
 * are attached to the error; the server is stopped and its directory removed.
 */
export function serverTest(name, options, fn) {
    if (typeof options === 'function') {
        fn = options;
        options = {};
    }
    test(name, options, async (t) => {
        const server = new TreatyServer(options.server ?? {});
        const clients = [];
        const make = () => {
            const client = newClient(server.url);
            clients.push(client);
            return client;
        };
        try {
            await server.start();
            await fn(t, { server, url: server.url, client: make(), newClient: make });
        } catch (error) {
            if (error && typeof error === 'object') {
                error.message = `${error.message}\n${server.logs()}`;
            }
            throw error;
        } finally {
            for (const client of clients) {
                await client.close();
            }
            await server.stop();
            server.cleanup();
        }
    });
}

/**
 * Awaits `promise`, expects it to reject with the client's RestError with
 * that HTTP status and Schema Registry error code; returns the error.
 */
export async function restError(status, errorCode, promise) {
    let error;
    try {
        const value = await promise;
        assert.fail(`expected RestError ${status}/${errorCode}, got success: ${JSON.stringify(value)}`);
    } catch (caught) {
        error = caught;
    }
    if (error instanceof assert.AssertionError) {
        throw error;
    }
    assert.ok(error instanceof RestError, `expected RestError, got ${error?.stack ?? error}`);
    assert.deepEqual(
        { status: error.status, errorCode: error.errorCode },
        { status, errorCode },
        `expected HTTP ${status} / ${errorCode}, got HTTP ${error.status} / ${error.errorCode}: ${error.message}`,
    );
    assert.equal(typeof error.message, 'string');
    assert.ok(error.message.length > 0, 'error message is empty');
    return error;
}

/** The schema id of Confluent's wire format: magic byte 0, 4-byte big-endian id. */
export function wireId(bytes) {
    assert.ok(Buffer.isBuffer(bytes), `expected a Buffer, got ${typeof bytes}`);
    assert.ok(bytes.length > 5, `payload too short: ${bytes.toString('hex')}`);
    assert.equal(bytes[0], 0, `magic byte is ${bytes[0]}, expected 0`);
    return bytes.readInt32BE(1);
}
