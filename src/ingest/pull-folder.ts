import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VsmError, quoteGot } from '../errors.js';
import { PULL_MANIFEST_FILE, PULL_PAGES_DIR, type PullManifest, PullManifestSchema, type PullProvenance } from '../model/pull-manifest.js';
import type { ReadOptions, ReadResult } from './read-options.js';

/**
 * Reads a folder written by `vsm pull` (docs/pull.md): `pull.json` names the source, so no --source is needed;
 * the Jira `/status` list saved beside the pages gives every status its category (not only each issue's current
 * one); the pages themselves are read by the source's own reader, exactly as a hand-saved folder of pages would be.
 * The IngestReport carries the pull's query, site and as-of instant, and says when the pull did not finish.
 * Whether a path is such a folder is pull-folder-check.ts's isPullFolder.
 */

/** Reads and checks `<root>/pull.json`; undefined when the file does not exist. */
export async function readPullManifest(root: string): Promise<PullManifest | undefined> {
  const path = join(root, PULL_MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new VsmError({ code: 'JSON_PARSE', what: 'pull.json is not valid JSON', where: path, got: quoteGot(text.slice(0, 60)), fix: 'pull again into a new folder' });
  }
  const parsed = PullManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VsmError({
      code: 'BAD_CONFIG',
      what: 'pull.json does not have the expected shape',
      where: `${path} at ${issue.path.join('.') || '(top)'}`,
      got: quoteGot(issue.message),
      fix: 'pull again into a new folder (it was written by another version or edited by hand)',
    });
  }
  return parsed.data;
}

/** Jira `GET /rest/api/2/status` (an array of statuses with `statusCategory.key`) → status name → category key. */
export function jiraStatusCategories(value: unknown): Record<string, string> {
  const categories: Record<string, string> = {};
  // Narrowed by hand: this module is loaded for every read (read-log's pull.json check) and stays free of the JSON readers.
  for (const item of Array.isArray(value) ? (value as unknown[]) : []) {
    const status = item as { name?: unknown; statusCategory?: { key?: unknown } } | null;
    const name = status?.name;
    const key = status?.statusCategory?.key;
    if (typeof name === 'string' && typeof key === 'string') categories[name] = key;
  }
  return categories;
}

export async function readPullFolder(path: string, options: ReadOptions): Promise<ReadResult> {
  const manifest = await readPullManifest(path);
  if (!manifest) throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'no pull.json in the folder', where: path, fix: 'pass a folder written by vsm pull' });
  if (options.source !== undefined && options.source !== manifest.source) {
    throw new VsmError({ code: 'BAD_OPTION', what: `pull.json says this folder holds a ${manifest.source} pull`, where: `flag --source ${options.source}`, got: `source "${manifest.source}" in ${PULL_MANIFEST_FILE}`, fix: 'drop --source' });
  }
  const readOptions: ReadOptions = { ...options, source: manifest.source };
  const statusFile = manifest.metaFiles.status;
  if (manifest.source === 'jira' && statusFile !== undefined) {
    const statusPath = join(path, statusFile);
    const text = await readFile(statusPath, 'utf8').catch(() => undefined);
    if (text === undefined) throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'the status list named in pull.json is missing', where: statusPath, fix: 'pull again, or remove "status" from metaFiles in pull.json' });
    let statuses: unknown;
    try {
      statuses = JSON.parse(text);
    } catch {
      throw new VsmError({ code: 'JSON_PARSE', what: 'status list is not valid JSON', where: statusPath, got: quoteGot(text.slice(0, 60)), fix: 'pull again' });
    }
    readOptions.statusCategories = { ...jiraStatusCategories(statuses), ...options.statusCategories };
  }
  const pages = join(path, PULL_PAGES_DIR);
  const reader =
    manifest.source === 'jira' ? (await import('./jira.js')).readJira : manifest.source === 'zendesk' ? (await import('./zendesk.js')).readZendesk : (await import('./github.js')).readGithub;
  const result = await reader(pages, readOptions);
  const complete = manifest.state === 'complete';
  const provenance: PullProvenance = {
    source: manifest.source,
    site: manifest.site,
    query: manifest.query,
    asOf: manifest.asOf,
    complete,
    runs: manifest.runs.length,
    toolVersion: manifest.tool.version,
  };
  result.report.formatDetectedBy = `${PULL_MANIFEST_FILE} (vsm pull ${manifest.source})`;
  result.report.pull = provenance;
  if (!complete) {
    result.report.notes.push(
      `this pull did not finish (${PULL_MANIFEST_FILE} state "running"): the pages hold only part of what the query matches, so counts and times may be wrong; ` +
        `rerun the same vsm pull command with --resume, then analyse again`,
    );
  }
  return result;
}
