import { RE2JS } from 're2js';

/**
 * `/pattern/flags` in a config name list is a regular expression, run by RE2JS (a port of RE2): matching time is
 * linear in the name's length whatever the pattern, so a pattern such as `/(a+)+$/` cannot hang a run on a long
 * status name (issue 11 item 11). RE2 has no backreferences or lookaround; such patterns are refused with a reason.
 */
export const PATTERN_SYNTAX = /^\/(.+)\/([a-z]*)$/s;

/** Longest accepted pattern source, in characters: a name list is for status names, not for programs. */
export const MAX_PATTERN_CHARS = 1_000;

const FLAG_BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0 };

export type CompiledPattern = { ok: true; test: (name: string) => boolean } | { ok: false; reason: string };

/** Is the entry written as `/…/flags` (a pattern) rather than an exact name? */
export function isPatternEntry(entry: string): boolean {
  return PATTERN_SYNTAX.test(entry);
}

/** Compiles `/pattern/flags`; the reason says what is wrong when it cannot be used. */
export function compileNamePattern(entry: string): CompiledPattern {
  const match = PATTERN_SYNTAX.exec(entry);
  if (!match) return { ok: false, reason: 'not written as /pattern/flags' };
  const [, source, flags] = match;
  if (source.length > MAX_PATTERN_CHARS) return { ok: false, reason: `longer than ${MAX_PATTERN_CHARS.toLocaleString('en-US')} characters` };
  let bits = 0;
  for (const flag of flags) {
    if (!Object.hasOwn(FLAG_BITS, flag)) return { ok: false, reason: `flag "${flag}" is not supported (use i, m, s or u)` };
    bits |= FLAG_BITS[flag];
  }
  try {
    const pattern = RE2JS.compile(source, bits);
    return { ok: true, test: (name) => pattern.matcher(name).find() };
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp:\s*/, '') : String(error);
    const jsAccepts = (() => {
      try {
        new RegExp(source, flags);
        return true;
      } catch {
        return false;
      }
    })();
    return { ok: false, reason: jsAccepts ? `${detail} (backreferences and lookaround are not supported: patterns run in linear time)` : detail };
  }
}
