/**
 * report.json's schema version, in a module of its own: the analysis stamps it on every report, and importing it
 * from report-schema.ts would load zod and build the whole report schema on every `vsm analyze` (issue 14, start-up).
 * Bump the minor for additive changes, the major for breaking ones.
 */
export const REPORT_SCHEMA_VERSION = '1.4.0';
