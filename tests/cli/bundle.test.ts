import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { generateTicketLog } from '../../src/synthetic/generate.js';
import { writeCsv } from '../../src/synthetic/write-log.js';
import { TOOL_VERSION } from '../../src/version.js';
import { sharedOrSkip } from '../shared-dir.js';
import { PACKAGE_BIN, ROOT, TSC_BIN } from './run-cli.js';

/** Runs one CLI file (the bundled bin or tsc's entry) as the tests' runCli does, with extra env and node flags. */
function run(bin: string, args: string[], extra: { env?: Record<string, string>; nodeFlags?: string[] } = {}) {
  return spawnSync(process.execPath, [...(extra.nodeFlags ?? []), bin, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', CI: '1', ...extra.env },
  });
}

/** report.json of `vsm analyze <file> --no-html` through `bin`. */
function reportThrough(bin: string, file: string, env: Record<string, string> = {}, nodeFlags: string[] = []): string {
  const out = mkdtempSync(join(tmpdir(), 'vsm-bundle-'));
  const result = run(bin, ['analyze', file, '--no-html', '--no-progress', '--out', out], { env, nodeFlags });
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(join(out, 'report.json'), 'utf8');
}

describe('the bundled bin (package.json bin.vsm → dist/bundle/vsm.js, scripts/bundle.mjs)', () => {
  it('is the bundle, executable, and answers --version', () => {
    expect(PACKAGE_BIN).toBe(join(ROOT, 'dist/bundle/vsm.js'));
    accessSync(PACKAGE_BIN, constants.X_OK);
    expect(readFileSync(PACKAGE_BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const result = run(PACKAGE_BIN, ['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${TOOL_VERSION}\n`);
  });

  it('writes the same report.json as the unbundled tsc entry', () => {
    expect(reportThrough(PACKAGE_BIN, 'fixtures/cli/tickets.csv')).toBe(reportThrough(TSC_BIN, 'fixtures/cli/tickets.csv'));
  });

  it('analyses the running example as the tsc entry does', () => {
    const file = sharedOrSkip('data/running-example.csv');
    if (file === undefined) return;
    expect(reportThrough(PACKAGE_BIN, file)).toBe(reportThrough(TSC_BIN, file));
  });

  it('reads a CSV on worker threads from the bundled worker script, with the one-thread report', async () => {
    const profiles = mkdtempSync(join(tmpdir(), 'vsm-bundle-prof-'));
    // Enough rows that each worker parses for milliseconds: a profile names only functions it sampled, and on the
    // 19-row fixture a worker could finish between two samples (the test failed so once, under CI load).
    const file = join(mkdtempSync(join(tmpdir(), 'vsm-bundle-log-')), 'tickets.csv');
    await writeCsv(generateTicketLog({ seed: 42, cases: 2_000, shape: 'activity-start-complete' }), file);
    const threads = { VSM_CSV_THREADS_MIN_BYTES: '0', VSM_CSV_WORKERS: '2', VSM_CSV_CHUNK_BYTES: '65536' };
    // --cpu-prof writes one profile per thread: the main thread's and one per worker, each naming what it ran
    // (sampled every 100 µs, ten times the default).
    const threaded = reportThrough(PACKAGE_BIN, file, threads, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profiles]);
    expect(threaded).toBe(reportThrough(PACKAGE_BIN, file, { VSM_CSV_THREADS_MIN_BYTES: '1000000000' }));
    const written = readdirSync(profiles).map((name) => readFileSync(join(profiles, name), 'utf8'));
    expect(written.length).toBe(3);
    expect(written.filter((profile) => profile.includes('dist/bundle/csv-chunk-worker.js')).length).toBeGreaterThan(0);
  });

  it("takes the input's checksum on the bundled digest worker: report.json's sha256 is the file's", async () => {
    const file = 'fixtures/cli/tickets.csv';
    const bytes = readFileSync(join(ROOT, file));
    const input = (report: string) => (JSON.parse(report) as { provenance: { input: unknown } }).provenance.input;
    const expected = { file: 'tickets.csv', bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    // From 0 bytes up the worker hashes the file (the default floor, 32 MiB, leaves this fixture to the read's own hash).
    expect(input(reportThrough(PACKAGE_BIN, file, { VSM_DIGEST_WORKER_MIN_BYTES: '0' }))).toEqual(expected);
    expect(input(reportThrough(PACKAGE_BIN, file))).toEqual(expected);
    // The bundled entry runs on its own (a missing or broken one would only show as the slower fallback above).
    const worker = new Worker(join(ROOT, 'dist/bundle/digest-worker.js'), { workerData: { path: join(ROOT, file) } });
    const message = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(message).toEqual({ ok: true, bytes: expected.bytes, sha256: expected.sha256 });
  });

  it("an internal error's stack (exit 3) names the src/*.ts lines through the source maps", () => {
    // A failure no input can cause: createHash (the input's checksum, ingest/input-digest.ts) throws a plain Error.
    const preload = [
      "import crypto from 'node:crypto'; import { syncBuiltinESMExports } from 'node:module';",
      "crypto.createHash = () => { throw new Error('injected'); };",
      'syncBuiltinESMExports();',
    ].join(' ');
    const result = run(PACKAGE_BIN, ['analyze', 'fixtures/cli/tickets.csv', '--no-html', '--out', mkdtempSync(join(tmpdir(), 'vsm-bundle-'))], {
      nodeFlags: ['--import', `data:text/javascript,${encodeURIComponent(preload)}`],
    });
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toContain('vsm: internal error · Error: injected');
    expect(result.stderr).toMatch(/src\/cli\/commands\/analyze\.ts:\d+:\d+/);
    expect(result.stderr).not.toMatch(/dist\/bundle\//);
  });

  it('loads zod, the config loader, re2js and the pull manifest only when asked for (issue 14, start-up)', () => {
    // A loader hook prints every bundle file as it loads; the chunks name the modules they hold in comments.
    const hook = `export async function load(url, context, next) { const result = await next(url, context); if (url.includes('/dist/bundle/')) process._rawDebug('LOADED ' + url); return result; }`;
    const preload = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`;
    const loadedSources = (args: string[]): string => {
      const result = run(PACKAGE_BIN, args, { nodeFlags: ['--import', `data:text/javascript,${encodeURIComponent(preload)}`] });
      expect(result.status, result.stderr).toBe(0);
      const urls = [...result.stderr.matchAll(/^LOADED (\S+)$/gm)].map((match) => new URL(match[1]));
      expect(urls.length).toBeGreaterThan(1);
      return urls.map((url) => readFileSync(url, 'utf8')).join('\n');
    };
    const out = mkdtempSync(join(tmpdir(), 'vsm-bundle-'));
    const plain = loadedSources(['analyze', 'fixtures/cli/tickets.csv', '--no-html', '--no-progress', '--out', out]);
    expect(plain).toContain('// src/vsm/analyze.ts');
    expect(plain).not.toContain('// src/cli/config-file.ts');
    expect(plain).not.toContain('// node_modules/re2js/');
    expect(plain).not.toContain('// node_modules/zod/');
    expect(plain).not.toContain('// src/model/pull-manifest.ts');
    expect(plain).not.toContain('// src/contracts/report-schema.ts');
    const config = join(out, 'vsm.config.json');
    writeFileSync(config, JSON.stringify({ exclude: ['/^never$/'] }));
    const withConfig = loadedSources(['analyze', 'fixtures/cli/tickets.csv', '--config', config, '--no-html', '--no-progress', '--out', out]);
    expect(withConfig).toContain('// src/cli/config-file.ts');
    expect(withConfig).toContain('// node_modules/zod/');
  });
});
