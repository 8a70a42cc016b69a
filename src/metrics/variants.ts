/**
 * Variants: the distinct step (or activity) sequences of the cases, with count and share of cases.
 * Ties are broken as PM4Py's oracle does: count desc, then the sequence as a tuple of names ascending
 * (element-wise by name, a prefix before its extensions).
 *
 * Source: StepVisits (the map's steps, one item per visit) or an EventLog (one item per event: PM4Py's
 * event-level semantics; on lifecycle logs pass `events: 'completions'` for its `complete_only` view).
 */
import type { EventLog } from '../model/event-log.js';
import { LifecycleCode } from '../model/lifecycle.js';
import type { ReportJson } from '../contracts/report-schema.js';
import type { StepVisits } from '../traces/step-visits.js';

export type VariantsJson = ReportJson['variants'];

/** Which events of an EventLog count: every event, or only completions (`instant`, `complete`, `enter`). */
export type EventSelection = 'all' | 'completions';

/** Items per case in case order: the common input of variants and the DFG. */
export interface CaseSequences {
  readonly caseCount: number;
  /** Length caseCount + 1: items of case c are [caseStart[c], caseStart[c + 1]). */
  readonly caseStart: Int32Array;
  /** Step / activity code per item. */
  readonly code: Int32Array;
  /** Visit or event index of each item in its source; null when item i is source index i. */
  readonly sourceIndex: Int32Array | null;
  readonly names: readonly string[];
}

export function isEventLog(source: StepVisits | EventLog): source is EventLog {
  return 'eventCount' in source;
}

/** The sequences of a source; for StepVisits and unfiltered logs the arrays are the source's own (no copy). */
export function caseSequences(source: StepVisits | EventLog, events: EventSelection = 'all'): CaseSequences {
  if (!isEventLog(source)) {
    return {
      caseCount: source.caseCount,
      caseStart: source.caseVisitStart,
      code: source.stepCode,
      sourceIndex: null,
      names: source.steps.map((step) => step.name),
    };
  }
  if (events === 'all') {
    return { caseCount: source.caseCount, caseStart: source.caseStart, code: source.activityCode, sourceIndex: null, names: source.activities.values };
  }
  const keep = (e: number): boolean => {
    const lifecycle = source.lifecycle[e];
    return lifecycle === LifecycleCode.instant || lifecycle === LifecycleCode.complete || lifecycle === LifecycleCode.enter;
  };
  let kept = 0;
  for (let e = 0; e < source.eventCount; e++) if (keep(e)) kept++;
  const caseStart = new Int32Array(source.caseCount + 1);
  const code = new Int32Array(kept);
  const sourceIndex = new Int32Array(kept);
  let item = 0;
  for (let c = 0; c < source.caseCount; c++) {
    caseStart[c] = item;
    for (let e = source.caseStart[c]; e < source.caseStart[c + 1]; e++) {
      if (!keep(e)) continue;
      code[item] = source.activityCode[e];
      sourceIndex[item++] = e;
    }
  }
  caseStart[source.caseCount] = item;
  return { caseCount: source.caseCount, caseStart, code, sourceIndex, names: source.activities.values };
}

export interface VariantOptions {
  /** Variants listed (the total counts all). */
  top?: number;
  /** EventLog only. */
  events?: EventSelection;
}

/** Ranks of names in ascending order, so tuple comparison works on codes. */
export function nameRanks(names: readonly string[]): Int32Array {
  const order = names.map((_, code) => code).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  const rank = new Int32Array(names.length);
  order.forEach((code, position) => (rank[code] = position));
  return rank;
}

/**
 * Variants of a partition of the cases, what the merge needs: the distinct sequences in first-seen order (each a
 * view of its first case's items) with their case counts, and the cases counted (those with an item).
 */
export interface VariantPartial {
  readonly names: readonly string[];
  /** Codes of each variant's sequence. */
  readonly sequences: readonly Int32Array[];
  readonly count: readonly number[];
  readonly casesCounted: number;
}

/** The variant partial of a source's cases. */
export function accumulateVariants(source: StepVisits | EventLog, events: EventSelection = 'all'): VariantPartial {
  const sequences = caseSequences(source, events);
  const { caseStart, code } = sequences;

  const sameSequence = (caseA: number, caseB: number): boolean => {
    const lengthA = caseStart[caseA + 1] - caseStart[caseA];
    if (lengthA !== caseStart[caseB + 1] - caseStart[caseB]) return false;
    for (let k = 0; k < lengthA; k++) if (code[caseStart[caseA] + k] !== code[caseStart[caseB] + k]) return false;
    return true;
  };

  // A 53-bit hash of each sequence (two 32-bit FNV-1a lanes) finds the candidate variant; equality is checked
  // against the variant's first case, and colliding variants chain through nextWithSameHash.
  const firstOfHash = new Map<number, number>();
  const nextWithSameHash: number[] = [];
  const representative: number[] = [];
  const count: number[] = [];
  let casesCounted = 0;
  for (let c = 0; c < sequences.caseCount; c++) {
    const begin = caseStart[c];
    const end = caseStart[c + 1];
    if (begin === end) continue;
    casesCounted++;
    let low = 0x811c9dc5;
    let high = 0x01000193 ^ (end - begin);
    for (let k = begin; k < end; k++) {
      low = Math.imul(low ^ code[k], 0x01000193);
      high = Math.imul(high ^ (code[k] + 0x9e3779b9), 0x5bd1e995);
      high ^= high >>> 15;
    }
    const hash = (high >>> 0) * 0x200000 + ((low >>> 0) >>> 11);
    let variant = firstOfHash.get(hash);
    let last = -1;
    while (variant !== undefined && variant >= 0 && !sameSequence(representative[variant], c)) {
      last = variant;
      variant = nextWithSameHash[variant];
    }
    if (variant === undefined || variant < 0) {
      variant = count.length;
      representative.push(c);
      count.push(0);
      nextWithSameHash.push(-1);
      if (last >= 0) nextWithSameHash[last] = variant;
      else firstOfHash.set(hash, variant);
    }
    count[variant]++;
  }
  return {
    names: sequences.names,
    sequences: representative.map((c) => code.subarray(caseStart[c], caseStart[c + 1])),
    count,
    casesCounted,
  };
}

/** The partials of contiguous case partitions as one, in partition order (the first itself when it is alone). */
export function mergeVariants(parts: readonly VariantPartial[]): VariantPartial {
  if (parts.length === 1) return parts[0];
  const variantOf = new Map<string, number>();
  const sequences: Int32Array[] = [];
  const count: number[] = [];
  let casesCounted = 0;
  for (const part of parts) {
    casesCounted += part.casesCounted;
    part.sequences.forEach((sequence, k) => {
      const key = sequence.join(',');
      let variant = variantOf.get(key);
      if (variant === undefined) {
        variant = count.length;
        variantOf.set(key, variant);
        sequences.push(sequence);
        count.push(0);
      }
      count[variant] += part.count[k];
    });
  }
  return { names: parts[0].names, sequences, count, casesCounted };
}

/** The report's variants from a (merged) partial: the `top` most frequent, ties by the sequence of names. */
export function finishVariants(partial: VariantPartial, top = 10): VariantsJson {
  const { names, sequences, count, casesCounted } = partial;
  const rank = nameRanks(names);
  const compareSequence = (a: Int32Array, b: Int32Array): number => {
    for (let k = 0; k < Math.min(a.length, b.length); k++) {
      const difference = rank[a[k]] - rank[b[k]];
      if (difference !== 0) return difference;
    }
    return a.length - b.length;
  };
  const order = count.map((_, variant) => variant);
  order.sort((a, b) => count[b] - count[a] || compareSequence(sequences[a], sequences[b]));

  return {
    total: count.length,
    top: order.slice(0, top).map((variant) => ({
      activities: Array.from(sequences[variant], (item) => names[item]),
      count: count[variant],
      share: count[variant] / casesCounted,
    })),
  };
}

/**
 * Distinct sequences per case with count and share; `top` lists the most frequent.
 * @example computeVariants(log, { top: 5 }).top[0] // { activities: ['Register', 'Check', 'Decide'], count: 812, share: 0.41 }
 */
export function computeVariants(source: StepVisits | EventLog, options: VariantOptions = {}): VariantsJson {
  const { top = 10, events = 'all' } = options;
  return finishVariants(accumulateVariants(source, events), top);
}
