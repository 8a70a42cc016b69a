import { VsmError } from '../errors.js';
import { PULL_MANIFEST_FILE, PULL_SCHEMA_VERSION, type PullManifest, type PullRun, type PullSource } from '../model/pull-manifest.js';
import { TOOL_VERSION } from '../version.js';
import type { HttpClient } from './http-client.js';
import { PageStore } from './page-store.js';

/**
 * One `vsm pull` run against one folder: decides from `pull.json` whether it is a fresh pull, a resume or an
 * incremental update, and keeps the manifest in step with the pages (a checkpoint after every complete unit of
 * work, so `--resume` restarts at the first unit not yet recorded).
 */
export type PullMode = 'full' | 'resume' | 'incremental';

export interface PullProgress {
  pagesWritten: number;
  casesWritten: number;
  /** Known only where the API says (Jira Data Center `total`). */
  casesTotal?: number;
}

export interface PullSession {
  readonly store: PageStore;
  readonly http: HttpClient;
  readonly manifest: PullManifest;
  readonly run: PullRun;
  /** The cursor the source module reads and updates (saved by `checkpoint`). */
  readonly cursor: Record<string, unknown>;
  pagesWritten: number;
  casesWritten: number;
  writePage(name: string, value: unknown): Promise<void>;
  checkpoint(): Promise<void>;
  progress(casesTotal?: number): void;
}

export interface StartPullOptions {
  root: string;
  source: PullSource;
  site: string;
  query: string;
  credentialVariables: string[];
  mode: PullMode;
  /** First run only: ISO lower bound of "changed since". */
  since: string | null;
  http: HttpClient;
  /**
   * The cursor a new run starts from, given the previous run's cursor (empty for a first pull) and the run's lower
   * bound (`--since`, or the start of the last complete run for `--since last`).
   */
  newCursor: (previous: Record<string, unknown>, since: string | null) => Record<string, unknown>;
  onProgress?: (progress: PullProgress) => void;
  now?: () => Date;
}

function usage(what: string, where: string, got: string, fix: string): VsmError {
  return new VsmError({ code: 'BAD_OPTION', what, where, got, fix });
}

/** Checks the folder against the mode and returns the manifest this run starts from. */
function startingManifest(existing: PullManifest | undefined, options: StartPullOptions): PullManifest {
  const where = `${options.root}/${PULL_MANIFEST_FILE}`;
  if (existing === undefined) {
    if (options.mode !== 'full') {
      throw usage(`nothing to ${options.mode === 'resume' ? 'resume' : 'update'}: the folder holds no pull`, options.root, 'no pull.json', 'drop --resume / --since last for a first pull');
    }
    return {
      schemaVersion: PULL_SCHEMA_VERSION,
      tool: { name: 'valuestream', version: TOOL_VERSION },
      source: options.source,
      site: options.site,
      query: options.query,
      credentialVariables: options.credentialVariables,
      state: 'running',
      asOf: null,
      since: options.since,
      counts: { cases: 0, events: 0, pageFiles: 0, historiesFetchedInFull: 0 },
      metaFiles: {},
      cursor: {},
      runs: [],
    };
  }
  if (existing.source !== options.source || existing.site !== options.site || existing.query !== options.query) {
    throw usage(
      'the folder holds a different pull',
      where,
      `${existing.source} ${existing.site} "${existing.query}"`,
      'pass the same source, site and query as the first pull, or choose another --out',
    );
  }
  if (options.mode === 'full') {
    throw usage('the folder already holds a pull', where, `state "${existing.state}"`, existing.state === 'running' ? 'pass --resume to finish it' : 'pass --since last to fetch what changed, or choose another --out');
  }
  if (options.mode === 'resume' && existing.state !== 'running') {
    throw usage('nothing to resume: the pull is complete', where, `state "complete", as of ${existing.asOf ?? '?'}`, 'pass --since last to fetch what changed since');
  }
  if (options.mode === 'incremental' && existing.state !== 'complete') {
    throw usage('the previous pull did not finish', where, 'state "running"', 'pass --resume to finish it first');
  }
  return { ...existing, credentialVariables: options.credentialVariables, state: 'running' };
}

/** The start of the last complete run: an incremental pull asks for what changed since then (changes made during it included). */
export function lastCompleteRunStart(manifest: PullManifest): string | null {
  const complete = manifest.runs.filter((run) => run.finishedAt !== null);
  return complete.length === 0 ? null : complete[complete.length - 1].startedAt;
}

export async function startPull(options: StartPullOptions): Promise<PullSession> {
  const now = options.now ?? (() => new Date());
  const store = new PageStore(options.root);
  await store.prepare();
  const startedAt = now().toISOString();
  const manifest = startingManifest(await store.readManifest(), options);
  // A resume keeps the cursor as saved; a new run asks the source for a fresh one from its lower bound.
  if (options.mode === 'incremental') manifest.cursor = options.newCursor(manifest.cursor, lastCompleteRunStart(manifest));
  else if (options.mode === 'full') manifest.cursor = options.newCursor({}, options.since);
  const run: PullRun = { kind: options.mode, startedAt, finishedAt: null, since: typeof manifest.cursor.since === 'string' ? manifest.cursor.since : null, requests: 0, retries: 0, pagesWritten: 0 };
  manifest.runs.push(run);
  await store.writeManifest(manifest);
  const session: PullSession = {
    store,
    http: options.http,
    manifest,
    run,
    cursor: manifest.cursor,
    pagesWritten: 0,
    casesWritten: 0,
    async writePage(name, value) {
      await store.writePage(name, value);
      session.pagesWritten++;
      run.pagesWritten++;
    },
    async checkpoint() {
      run.requests = options.http.requests;
      run.retries = options.http.retries;
      await store.writeManifest(manifest);
    },
    progress(casesTotal) {
      options.onProgress?.({ pagesWritten: session.pagesWritten, casesWritten: session.casesWritten, casesTotal });
    },
  };
  return session;
}

/** Marks the run complete: counts from the folder, the as-of instant, the state. */
export async function finishPull(session: PullSession, counts: { cases: number; events: number }, now: () => Date = () => new Date()): Promise<PullManifest> {
  const { manifest, run } = session;
  run.finishedAt = now().toISOString();
  manifest.state = 'complete';
  manifest.asOf = run.finishedAt;
  manifest.counts.cases = counts.cases;
  manifest.counts.events = counts.events;
  manifest.counts.pageFiles = await session.store.countPages();
  await session.checkpoint();
  return manifest;
}
