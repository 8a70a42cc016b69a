/**
 * How the trace passes measure a span: calendar (24×7) or business-hours ms, chosen once per reconstruction.
 * Its own module so censoring.ts and pass-context.ts both depend on it rather than on each other.
 */

/** Calendar ms in [fromMs, toMs); 0 when toMs <= fromMs. */
export type DurationFn = (fromMs: number, toMs: number) => number;
