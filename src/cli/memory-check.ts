/**
 * Before reading a log: will the in-memory engine fit? A warning on stderr when the estimated need is above the
 * free memory (docs/limits.md "Memory"); never a refusal, with or without --strict (the estimate can be wrong
 * either way, and --strict judges the data, not the machine).
 */
import os from 'node:os';
import { estimateEvents } from '../ingest/estimate-events.js';
import { type MachineMemory, type PeakRun, memoryWarning } from '../vsm/memory-need.js';
import { safeText } from './terminal.js';

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

/**
 * The engine of `vsm analyze FILE`: the one asked for (`--engine duckdb` reads the events into the event store);
 * else memory, with the memory warning when the log may not fit (warnIfTooLarge). The store is not chosen by itself
 * yet: its peak is above the in-memory engine's (docs/benchmarks.md, stop 29), so it would not help a log that does
 * not fit.
 */
export function chooseEngine(file: string, asked: string | undefined, run: PeakRun): 'memory' | 'duckdb' {
  if (asked === 'duckdb') return 'duckdb';
  warnIfTooLarge(file, run);
  return 'memory';
}
