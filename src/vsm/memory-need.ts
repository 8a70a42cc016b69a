/**
 * What the in-memory engine needs for a log of n events, and the warning when the machine has less free
 * (issue 14: "bounded, clear errors"; docs/limits.md "Memory").
 *
 * Memory grows linearly with the events; the slope depends on what the run keeps (`PeakRun`, measured below). The
 * estimate is a base plus bytes per event, rounded up from the measurements so it errs high. Typed arrays live outside
 * the V8 heap: the limit is the machine's memory, not V8's heap limit. (The first measurement, before the peak-memory
 * passes of issue 14, was 327 MB at 1 M events, 829–904 MB at 5 M and 2,760 MB at 20 M with HTML: 200 MB + 160 bytes an
 * event then, for every run.)
 */

/**
 * What a run keeps, which sets its slope: `vsm analyze` with its default outputs (`html`: the per-instance activity
 * table for activities.csv and the HTML report), `vsm analyze --no-html` (`json`: report.json only), or another
 * command's work (`other`: compare, simulate — not measured apart, so the first, highest slope).
 */
export type PeakRun = 'html' | 'json' | 'other';

/**
 * Peak bytes per event, by run. Measured after stop 25 (`/usr/bin/time` peak RSS of the bundled CLI on the synthetic
 * ticket logs, docs/benchmarks.md "h26-lead"): with HTML 299 MB at 1 M events, 744 MB at 5 M, 2,388 MB at 20 M
 * (≈ 110 bytes an event above a base of ≈ 190 MB); `--no-html` 185 MB, 484–585 MB, 1,578 MB and 7,403 MB at 100 M
 * (≈ 73 bytes an event). Rounded up so the estimate errs high by 10–20 %: 330 MB / 850 MB / 2.8 GB with HTML, 280 MB /
 * 600 MB / 1.8 GB / 8.2 GB without. `other` is the slope first measured for the HTML run (≈ 145, rounded up).
 */
export const PEAK_BYTES_PER_EVENT: Readonly<Record<PeakRun, number>> = { html: 130, json: 80, other: 160 };
/** Peak bytes that do not grow with the log: the Node process and its modules, the dictionaries, the report. */
export const BASE_PEAK_BYTES = 200e6;

/** Bytes the in-memory engine is expected to need at its peak for `events` events in a run of kind `run`. */
export function peakBytesFor(events: number, run: PeakRun = 'other'): number {
  return BASE_PEAK_BYTES + PEAK_BYTES_PER_EVENT[run] * events;
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
export function memoryWarning(estimate: { events: number; exact: boolean }, where: string, machine: MachineMemory, run: PeakRun = 'other'): string | null {
  const needBytes = peakBytesFor(estimate.events, run);
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
