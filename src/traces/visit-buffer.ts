/**
 * Columnar storage for step visits while they are reconstructed: preallocated typed arrays (the caller knows an
 * upper bound: visits never outnumber the events that make them), trimmed once at the end. No per-visit objects.
 */
import { MISSING_CODE } from '../model/dictionary.js';

export class VisitBuffer {
  count = 0;
  readonly caseCode: Int32Array;
  readonly stepCode: Int32Array;
  readonly ownerCode: Int32Array;
  readonly firstEvent: Int32Array;
  readonly enteredAt: Float64Array;
  readonly workStartedAt: Float64Array;
  readonly exitedAt: Float64Array;
  readonly activeMs: Float64Array;
  readonly queueMs: Float64Array;
  readonly waitingMs: Float64Array;
  readonly blockedMs: Float64Array;
  readonly elapsedMs: Float64Array;
  readonly open: Uint8Array;
  readonly inLead: Uint8Array;

  constructor(readonly capacity: number) {
    this.caseCode = new Int32Array(capacity);
    this.stepCode = new Int32Array(capacity);
    this.ownerCode = new Int32Array(capacity);
    this.firstEvent = new Int32Array(capacity);
    this.enteredAt = new Float64Array(capacity);
    this.workStartedAt = new Float64Array(capacity);
    this.exitedAt = new Float64Array(capacity);
    this.activeMs = new Float64Array(capacity);
    this.queueMs = new Float64Array(capacity);
    this.waitingMs = new Float64Array(capacity);
    this.blockedMs = new Float64Array(capacity);
    this.elapsedMs = new Float64Array(capacity);
    this.open = new Uint8Array(capacity);
    this.inLead = new Uint8Array(capacity);
  }

  /** Appends a visit with zeroed durations and unknown times; returns its index. */
  push(caseCode: number, stepCode: number, firstEvent: number, enteredAt: number): number {
    const index = this.count++;
    this.caseCode[index] = caseCode;
    this.stepCode[index] = stepCode;
    this.ownerCode[index] = MISSING_CODE;
    this.firstEvent[index] = firstEvent;
    this.enteredAt[index] = enteredAt;
    this.workStartedAt[index] = NaN;
    this.exitedAt[index] = NaN;
    // The other columns are zero from allocation and each index is pushed once.
    return index;
  }

  /** The filled part of each column (a view: the capacity is a tight bound, so little is left unused). */
  trimmed<T extends Int32Array | Float64Array | Uint8Array>(column: T): T {
    return column.subarray(0, this.count) as T;
  }
}
