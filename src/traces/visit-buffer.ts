/**
 * Columnar storage for step visits while they are reconstructed: preallocated typed arrays over one ArrayBuffer (the
 * caller knows an upper bound: visits never outnumber the events that make them), trimmed once at the end. No
 * per-visit objects. The columns live and go together (nothing drops one early).
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
    // One ArrayBuffer for the 14 columns (8-byte columns first, so every view is aligned): one external allocation
    // instead of 14, and V8 starts a scavenge for the external-memory pressure of each large one (8 of them, ≈ 40 ms,
    // at the start of a 5 M-event reconstruction).
    const bytesPerVisit = 8 * 8 + 4 * 4 + 2;
    const buffer = new ArrayBuffer(capacity * bytesPerVisit);
    let offset = 0;
    const float64 = () => {
      const column = new Float64Array(buffer, offset, capacity);
      offset += 8 * capacity;
      return column;
    };
    const int32 = () => {
      const column = new Int32Array(buffer, offset, capacity);
      offset += 4 * capacity;
      return column;
    };
    const uint8 = () => {
      const column = new Uint8Array(buffer, offset, capacity);
      offset += capacity;
      return column;
    };
    this.enteredAt = float64();
    this.workStartedAt = float64();
    this.exitedAt = float64();
    this.activeMs = float64();
    this.queueMs = float64();
    this.waitingMs = float64();
    this.blockedMs = float64();
    this.elapsedMs = float64();
    this.caseCode = int32();
    this.stepCode = int32();
    this.ownerCode = int32();
    this.firstEvent = int32();
    this.open = uint8();
    this.inLead = uint8();
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
