import { z } from 'zod';

/**
 * `pull.json`, the manifest `vsm pull` writes beside the pages it fetched (docs/pull.md "What is written").
 * It is the contract between `vsm pull` (writer) and `vsm analyze <pull folder>` (reader): which source, which
 * query, as of when, and whether every page arrived. It never holds a credential: only the names of the
 * environment variables that were used.
 */
export { PULL_MANIFEST_FILE, PULL_PAGES_DIR } from './pull-files.js';
export const PULL_SCHEMA_VERSION = 1;
export const PULL_SOURCES = ['jira', 'zendesk', 'github'] as const;
export type PullSource = (typeof PULL_SOURCES)[number];

/** One `vsm pull` run into the folder: the first pull, a resumed one, or an incremental update. */
export const PullRunSchema = z.object({
  kind: z.enum(['full', 'resume', 'incremental']),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  /** Lower bound of "changed since" for this run (ISO), null for everything the query matches. */
  since: z.iso.datetime().nullable(),
  requests: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
  pagesWritten: z.number().int().nonnegative(),
});
export type PullRun = z.infer<typeof PullRunSchema>;

export const PullManifestSchema = z.object({
  schemaVersion: z.literal(PULL_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('valuestream'), version: z.string() }),
  source: z.enum(PULL_SOURCES),
  /** Base URL of the API as given (no user info, no query string). */
  site: z.string(),
  /** What was asked for, as the user would retype it: the JQL, `repo owner/name issues`, `ticket_events`. */
  query: z.string(),
  /** Names (never values) of the environment variables the credentials came from. */
  credentialVariables: z.array(z.string()),
  /** `complete` once every page of the last run was written; `running` while a pull is (or was killed) in progress. */
  state: z.enum(['running', 'complete']),
  /**
   * The instant the data describes: when the last complete run finished. `vsm analyze` censors open cases here
   * unless --as-of or the config says otherwise. Null until the first run completes.
   */
  asOf: z.iso.datetime().nullable(),
  /** Lower bound of the first run (`--since`), null for the query's whole history. */
  since: z.iso.datetime().nullable(),
  counts: z.object({
    /** Cases (issues, tickets) with a file in `pages/`; a case fetched again by an incremental run counts once. */
    cases: z.number().int().nonnegative(),
    /** Event items written (Zendesk ticket events); 0 where history is part of the case files. */
    events: z.number().int().nonnegative(),
    /** Page files currently in `pages/`. */
    pageFiles: z.number().int().nonnegative(),
    /** Cases whose embedded history was capped and whose full history was fetched page by page. */
    historiesFetchedInFull: z.number().int().nonnegative(),
  }),
  /** Extra files beside the pages (Jira `/status` and `/field` lists). */
  metaFiles: z.record(z.string(), z.string()),
  /** Where the next request of an interrupted or incremental run starts; source-specific. */
  cursor: z.record(z.string(), z.unknown()),
  runs: z.array(PullRunSchema),
});
export type PullManifest = z.infer<typeof PullManifestSchema>;

/** What `vsm analyze` carries from `pull.json` into the IngestReport and the report's provenance. */
export interface PullProvenance {
  source: PullSource;
  site: string;
  query: string;
  asOf: string | null;
  complete: boolean;
  runs: number;
  toolVersion: string;
}
