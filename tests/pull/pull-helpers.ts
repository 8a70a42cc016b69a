import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BIN, ROOT, type CliResult, runCli } from '../cli/run-cli.js';

/** Secrets the tests hand the CLI; no file it writes and nothing it prints may contain them. */
export const JIRA_EMAIL = 'analyst@example.test';
export const JIRA_TOKEN = 'jira-SECRET-token-5f1c';
export const ZENDESK_TOKEN = 'zd-SECRET-token-77aa';
export const GITHUB_TOKEN = 'ghp_SECRETtoken0123456789';
export const basicAuth = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
export const SECRETS = [JIRA_TOKEN, ZENDESK_TOKEN, GITHUB_TOKEN, basicAuth(JIRA_EMAIL, JIRA_TOKEN).slice(6), basicAuth(`${JIRA_EMAIL}/token`, ZENDESK_TOKEN).slice(6)];

const PULL_ENV = {
  TZ: 'UTC',
  NO_COLOR: '1',
  CI: '1',
  // Every back-off and Retry-After wait capped at 5 ms: tests never sleep for real.
  VSM_PULL_MAX_WAIT_MS: '5',
  JIRA_EMAIL,
  JIRA_API_TOKEN: JIRA_TOKEN,
  ZENDESK_EMAIL: JIRA_EMAIL,
  ZENDESK_API_TOKEN: ZENDESK_TOKEN,
  GITHUB_TOKEN,
};

function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...PULL_ENV, ...extra };
  for (const name of ['JIRA_PAT', 'ZENDESK_OAUTH_TOKEN']) if (!(name in extra)) delete env[name];
  for (const [name, value] of Object.entries(extra)) if (value === undefined) delete env[name];
  return env;
}

/** Starts the built CLI without blocking this process (the fake API answers from this event loop). */
export function spawnCli(args: string[], extraEnv: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(extraEnv) });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return { child, done };
}

export function runCliAsync(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<CliResult> {
  return spawnCli(args, extraEnv).done;
}

/** Every file under `dir`, gunzipped where gzip, as text. */
export function allFileTexts(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...allFileTexts(path));
    else {
      const bytes = readFileSync(path);
      out.push({ path, text: (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8') });
    }
  }
  return out;
}

export function leakedSecrets(texts: string[]): string[] {
  return SECRETS.filter((secret) => texts.some((text) => text.includes(secret)));
}

/**
 * `vsm analyze --json` of `input`, with the fields that name the input (provenance: file, hash, options, pull) removed, so
 * a pulled folder and a hand-made export of the same data compare equal.
 */
export function analyzeComparable(input: string, outDir: string, extra: string[] = []): Record<string, unknown> {
  const result = runCli(['analyze', input, '--json', '--no-html', '--out', outDir, ...extra]);
  if (result.status !== 0) throw new Error(`analyze ${input} failed: ${result.stderr}`);
  const report = JSON.parse(result.stdout) as Record<string, unknown>;
  delete report.provenance;
  return report;
}
