/**
 * What the in-memory engine needs for a log of n events, and the warning when the machine has less free
 * (issue 14: "bounded, clear errors"; docs/limits.md "Memory").
 *
 * Measured (docs/benchmarks.md "Peak memory at 5 M, second pass", `/usr/bin/time` peak RSS of `vsm analyze`, the
 * default run with HTML and activities.csv): 327 MB at 1 M events, 829–904 MB at 5 M, 2,760 MB at 20 M; without
 * HTML 254 MB, 604–651 MB and 1,892 MB. Linear: ≈ 125–145 bytes per event with HTML, ≈ 90 without. The estimate
 * takes a little above the HTML slope plus a base (the Node process and its modules, the dictionaries, the report),
 * so it errs high: 360 MB / 1,000 MB / 3,400 MB at 1 M / 5 M / 20 M events. From 8 Mi events on the analysis drops the
 * event columns it does not read (docs/benchmarks.md "Peak memory, third pass"): `--no-html` then peaks at 1,708 MiB at
 * 20 M and 8,063 MiB (7.87 GiB) at 100 M (≈ 85–90 bytes an event), so the estimate errs higher there. (Before the second pass, the HTML run built activities.csv as one
 * string and peaked at 2,343 MB at 5 M.) Typed arrays live outside the V8 heap: the limit is the machine's memory,
 * not V8's heap limit.
 */

/** Peak bytes per event of `vsm analyze` with its default outputs (the measured ≈ 145, rounded up). */
export const PEAK_BYTES_PER_EVENT = 160;
/** Peak bytes that do not grow with the log (1 M events peaked at 327 MB: 327 − 145 ≈ 182, rounded up). */
export const BASE_PEAK_BYTES = 200e6;

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
