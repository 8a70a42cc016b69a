/**
 * What the analysis needs of `vsm.config.json`: its types and the name-list matcher. The zod schema that checks a
 * config (and from which these types are inferred) is config-parse.ts; the type-only re-export below loads none of it,
 * so an analysis without --config loads no zod (issue 14, start-up).
 */
export type { StepConfig, VsmConfig } from './config-parse.js';
export { nameMatcher, type NameMatcher } from './name-matcher.js';
