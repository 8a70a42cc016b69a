/**
 * What the in-memory engine needs for a log of n events, and the warning when the machine has less free
 * (issue 14: "bounded, clear errors"; docs/limits.md "Memory").
 *
 * Measured (docs/benchmarks.md "Logs larger than memory", `node --expose-gc bench/memory-split.mjs`, peak RSS of
 * `vsm analyze`): 311 MB at 1 M events, 920 MB at 5 M, 3,074 MB at 20 M: linear, 150–185 bytes per event at the
 * peak. The estimate takes the top of that range plus a base (the Node process, the dictionaries, the report),
 * so it errs high: 335 MB / 1,075 MB / 3,850 MB for those logs. Typed arrays live outside the V8 heap: the
 * limit is the machine's memory, not V8's heap limit.
 */

/** Peak bytes per event of `vsm analyze` (the high end of the measured 150–185). */
export const PEAK_BYTES_PER_EVENT = 185;
/** Peak bytes that do not grow with the log (1 M events peaked at 311 MB: 311 − 185 ≈ 126, rounded up). */
export const BASE_PEAK_BYTES = 150e6;

/** Bytes the in-memory engine is expected to need at its peak for `events` events. */
export function peakBytesFor(events: number): number {
  return BASE_PEAK_BYTES + PEAK_BYTES_PER_EVENT * events;
}

export interface MachineMemory {
  /** os.totalmem(). */
  totalBytes: number;
  /** os.freemem() (available memory on Linux), or a lower container limit (process.constrainedMemory()). */
  freeBytes: number;
}

const gb = (bytes: number): string => (bytes >= 10e9 ? `${Math.round(bytes / 1e9)} GB` : `${(Math.round(bytes / 1e8) / 10).toFixed(1)} GB`);
const millions = (events: number): string =>
  events >= 10e6 ? `${Math.round(events / 1e6)} M` : events >= 1e6 ? `${(Math.round(events / 1e5) / 10).toFixed(1)} M` : Math.round(events).toLocaleString('en-US');

/**
 * The warning line (without the `vsm: ` prefix) when the estimated need is above the free memory, else null.
 * @example memoryWarning({ events: 120e6, exact: false }, 'big.csv', { totalBytes: 24e9, freeBytes: 15e9 })
 */
export function memoryWarning(estimate: { events: number; exact: boolean }, where: string, machine: MachineMemory): string | null {
  const needBytes = peakBytesFor(estimate.events);
  if (needBytes <= machine.freeBytes) return null;
  const events = `${estimate.exact ? '' : 'about '}${millions(estimate.events)} events${estimate.exact ? '' : ' (estimated from the file size and its first rows)'}`;
  const machineText = needBytes > machine.totalBytes ? `this machine has ${gb(machine.totalBytes)} in all, ${gb(machine.freeBytes)} free` : `this machine has ${gb(machine.freeBytes)} free (of ${gb(machine.totalBytes)})`;
  return [
    'warning: this log may not fit in memory; the analysis goes on and may be stopped by the system',
    where,
    `${events} need about ${gb(needBytes)}; ${machineText}`,
    'fix: analyse a shorter period (filter the export by date), or load it into ClickHouse and use --engine clickhouse (docs/clickhouse.md)',
  ].join(' · ');
}
