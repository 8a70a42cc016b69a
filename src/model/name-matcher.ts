/**
 * Config name lists (`members`, `exclude`, `done.activities` …) as matchers: exact names and `/regex/` patterns
 * (name-pattern.ts). Zod-free, apart from config-schema.ts (which re-exports it), so the analysis can match names
 * without loading the config's zod schema (issue 14, start-up).
 */
import { VsmError } from '../errors.js';
import { compileNamePattern, isPatternEntry } from './name-pattern.js';

/** A compiled name list: exact names and regular expressions. */
export interface NameMatcher {
  matches(name: string): boolean;
}

/**
 * Compiles names and `/regex/` patterns into one matcher.
 * @example nameMatcher(['Done', '/^closed/i']).matches('Closed (won)') // true
 */
export function nameMatcher(entries: readonly string[]): NameMatcher {
  const exact = new Set<string>();
  const patterns: Array<(name: string) => boolean> = [];
  for (const entry of entries) {
    if (!isPatternEntry(entry)) {
      exact.add(entry);
      continue;
    }
    const compiled = compileNamePattern(entry);
    // The schema refuses invalid patterns; a matcher built from an unchecked list must refuse them too.
    if (!compiled.ok) throw new VsmError({ code: 'BAD_CONFIG', what: 'not a valid regular expression', where: 'config name list', got: entry, fix: compiled.reason });
    patterns.push(compiled.test);
  }
  return { matches: (name) => exact.has(name) || patterns.some((test) => test(name)) };
}
