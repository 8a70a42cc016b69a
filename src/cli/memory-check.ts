/**
 * Before reading a log: will the in-memory engine fit? A warning on stderr when the estimated need is above the
 * free memory (docs/limits.md "Memory"); never a refusal, with or without --strict (the estimate can be wrong
 * either way, and --strict judges the data, not the machine).
 */
import os from 'node:os';
import { estimateEvents } from '../ingest/estimate-events.js';
import { type MachineMemory, type PeakRun, memoryWarning } from '../vsm/memory-need.js';
import { safeText } from './terminal.js';
import { sniffSource } from '../ingest/sniff.js';

/** Total and free memory; a container limit (cgroup) lowers both when it is below them. */
export function machineMemory(): MachineMemory {
  const totalBytes = os.totalmem();
  const freeBytes = os.freemem();
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  if (limit !== undefined && limit > 0 && limit < totalBytes) return { totalBytes: limit, freeBytes: Math.min(freeBytes, limit) };
  return { totalBytes, freeBytes };
}

/**
 * Writes the warning for `file` when its estimated events need more memory than is free in a run of kind `run`
 * (memory-need.ts); returns the line (null when none). Standard input, folders, JSON exports and Parquet are not estimated.
 */
export function warnIfTooLarge(file: string, run: PeakRun = 'other'): string | null {
  const estimate = estimateEvents(file);
  if (estimate === null) return null;
  const warning = memoryWarning(estimate, file, machineMemory(), run);
  if (warning !== null) process.stderr.write(`vsm: ${safeText(warning)}\n`);
  return warning;
}

/** The sources the event store reads (src/ingest/stored-read.ts): the others are analysed in memory. */
const STORED_SOURCES: ReadonlySet<string> = new Set(['csv', 'xes']);

/**
 * The engine of `vsm analyze FILE`: the one asked for (`--engine`); else the event store (duckdb) when the in-memory
 * need is estimated above the free memory and the store reads the source (CSV, XES), said on stderr; else memory,
 * with the memory warning when it may not fit (warnIfTooLarge).
 */
export function chooseEngine(file: string, asked: string | undefined, run: PeakRun, source: string | undefined, machine: () => MachineMemory = machineMemory): 'memory' | 'duckdb' {
  if (asked === 'duckdb') return 'duckdb';
  const estimate = estimateEvents(file);
  const warning = estimate === null ? null : memoryWarning(estimate, file, machine(), run);
  if (warning === null || estimate === null) return 'memory';
  const sniffed = source ?? sniffSource(file).source;
  if (asked === undefined && STORED_SOURCES.has(sniffed)) {
    const events = `${Math.round(estimate.events).toLocaleString('en-US')} events${estimate.exact ? '' : ', estimated'}`;
    process.stderr.write(`vsm: ${safeText(`this log may not fit in memory (${events}): its events go to the event store on disk and are read back by case ranges (--engine duckdb; docs/limits.md); pass --engine memory to keep them in memory`)}\n`);
    return 'duckdb';
  }
  process.stderr.write(`vsm: ${safeText(warning)}\n`);
  return 'memory';
}
