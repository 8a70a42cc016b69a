import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { bin: { vsm: string } };
/** What package.json `bin.vsm` points at (the bundled CLI, scripts/bundle.mjs). */
export const PACKAGE_BIN = resolve(ROOT, PACKAGE.bin.vsm);
/** tsc's CLI entry: the same program unbundled. */
export const TSC_BIN = resolve(ROOT, 'dist/cli/main.js');
/** The CLI the tests spawn: the package's bin, or tsc's entry with VSM_TEST_CLI=tsc (both must behave the same). */
export const BIN = process.env.VSM_TEST_CLI === 'tsc' ? TSC_BIN : PACKAGE_BIN;

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `vsm` binary (npm test builds first) with TZ=UTC and no colour. */
export function runCli(args: string[], options: { cwd?: string } = {}): CliResult {
  if (!existsSync(BIN)) throw new Error(`the CLI is not built: run npm run build (missing ${BIN})`);
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', CI: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
