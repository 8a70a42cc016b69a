import { createRequire } from 'node:module';
import type { RE2JS as Re2Engine } from 're2js';

/**
 * `/pattern/flags` in a config name list is a regular expression, run by RE2JS (a port of RE2): matching time is
 * linear in the name's length whatever the pattern, so a pattern such as `/(a+)+$/` cannot hang a run on a long
 * status name (issue 11 item 11). RE2 has no backreferences or lookaround; such patterns are refused with a reason.
 * RE2JS (270 kB) is required from node_modules on the first pattern, not imported: most runs have none, and the
 * config check and the matchers are synchronous (issue 14, start-up).
 */
export const PATTERN_SYNTAX = /^\/(.+)\/([a-z]*)$/s;

/** Longest accepted pattern source, in characters: a name list is for status names, not for programs. */
export const MAX_PATTERN_CHARS = 1_000;

let re2: typeof Re2Engine | undefined;

/** RE2JS, loaded on first use (its CommonJS build, through Node's require: synchronous, and left out of the bundle). */
function re2Engine(): typeof Re2Engine {
  re2 ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof Re2Engine }).RE2JS;
  return re2;
}

/** Flag letter → RE2JS flag bits (RE2JS.CASE_INSENSITIVE, MULTILINE, DOTALL; `u` is RE2's default). */
const FLAG_BITS: Record<string, (engine: typeof Re2Engine) => number> = {
  i: (engine) => engine.CASE_INSENSITIVE,
  m: (engine) => engine.MULTILINE,
  s: (engine) => engine.DOTALL,
  u: () => 0,
};

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
  for (const flag of flags) {
    if (!Object.hasOwn(FLAG_BITS, flag)) return { ok: false, reason: `flag "${flag}" is not supported (use i, m, s or u)` };
  }
  const engine = re2Engine();
  let bits = 0;
  for (const flag of flags) bits |= FLAG_BITS[flag](engine);
  try {
    const pattern = engine.compile(source, bits);
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
