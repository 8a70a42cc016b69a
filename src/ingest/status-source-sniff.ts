import type { SourceKind } from './read-options.js';

/**
 * Content sniffers of the ServiceNow, Salesforce, Greenhouse and Lever adapters. Each takes `sample`: the start of
 * the decoded input text (the CSV header line is enough; for JSON pass the first few KB, 64 KB is plenty) and
 * answers from field names only, so a sniffer never parses the whole file.
 */
function firstLine(sample: string): string {
  const text = sample.charCodeAt(0) === 0xfeff ? sample.slice(1) : sample;
  const end = text.search(/\r?\n/);
  return (end < 0 ? text : text.slice(0, end)).toLowerCase();
}

function csvHeaderNames(sample: string): Set<string> {
  return new Set(firstLine(sample).split(/[,;\t]/).map((name) => name.trim().replace(/^"|"$/g, '')));
}

function isJson(sample: string): boolean {
  return /^\s*[[{]/.test(sample.charCodeAt(0) === 0xfeff ? sample.slice(1) : sample);
}

function hasJsonKeys(sample: string, keys: readonly string[]): boolean {
  return keys.every((key) => sample.includes(`"${key}"`));
}

/** sys_audit rows (JSON `{result:[…]}` or CSV) or the UCI-style snapshot incident log. */
export function looksLikeServiceNow(sample: string): boolean {
  if (isJson(sample)) return hasJsonKeys(sample, ['documentkey', 'fieldname']);
  const names = csvHeaderNames(sample);
  const audit = names.has('documentkey') && names.has('fieldname') && names.has('newvalue');
  const snapshot = names.has('number') && names.has('incident_state') && names.has('sys_updated_at');
  return audit || snapshot;
}

/** CaseHistory / OpportunityFieldHistory / `<Object>__History` CSV (Data Loader, Bulk API, any header case). */
export function looksLikeSalesforce(sample: string): boolean {
  if (isJson(sample)) return false;
  const names = csvHeaderNames(sample);
  const parent = names.has('caseid') || names.has('opportunityid') || names.has('parentid');
  return parent && names.has('field') && (names.has('newvalue') || names.has('oldvalue')) && names.has('createddate');
}

/** Greenhouse v3 application stage rows (`application_id`, `entered_at`). */
export function looksLikeGreenhouse(sample: string): boolean {
  return isJson(sample) && hasJsonKeys(sample, ['application_id', 'entered_at']);
}

/** Lever opportunities with `stageChanges`. */
export function looksLikeLever(sample: string): boolean {
  return isJson(sample) && hasJsonKeys(sample, ['stageChanges']);
}

/** Which of these four sources a sample looks like, if any (used to name the right `--source` in errors). */
export function guessStatusSource(sample: string): SourceKind | undefined {
  if (looksLikeServiceNow(sample)) return 'servicenow';
  if (looksLikeSalesforce(sample)) return 'salesforce';
  if (looksLikeGreenhouse(sample)) return 'greenhouse';
  if (looksLikeLever(sample)) return 'lever';
  return undefined;
}

/** The `fix` text for a file that is not the source the user named. */
export function wrongSourceFix(sample: string, expected: SourceKind): string {
  const guess = guessStatusSource(sample);
  if (guess !== undefined && guess !== expected) return `this looks like a ${guess} export: pass --source ${guess}`;
  return `check the export (see docs/sources.md, "${expected}"), or pass --source csv with --case, --activity and --timestamp`;
}
