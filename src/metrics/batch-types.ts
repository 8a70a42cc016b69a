/** The batches' result (batches.ts, batches-in-order.ts): per instance its batch; per batch its type and ready time. */
export const BatchType = { none: 0, parallel: 1, sequential: 2 } as const;
export const BATCH_TYPE_NAMES = ['', 'parallel', 'sequential'] as const;

export interface Batches {
  /** Batch number per instance, -1 when not in a batch. */
  readonly batchId: Int32Array;
  /**
   * By batch number: its type (BatchType). Per batch, not per instance (issue 14, peak memory: 1 byte an instance,
   * and the ready time's 8, are 450 MB at 100 M events, most instances in no batch).
   */
  readonly typeOfBatch: Uint8Array;
  /** By batch number: when it was ready (its last member's enabled time). */
  readonly readyMsOfBatch: Float64Array;
  readonly parallelCount: number;
  readonly sequentialCount: number;
}

/** A batch's type and ready time, appended in batch-number order (columns grown by doubling, trimmed by finish). */
export class BatchColumns {
  private types = new Uint8Array(64);
  private ready = new Float64Array(64);
  private length = 0;

  /** Appends batch number `this.count` (its type and ready time). */
  push(type: number, readyMs: number): void {
    if (this.length === this.types.length) {
      const types = new Uint8Array(2 * this.length);
      types.set(this.types);
      this.types = types;
      const ready = new Float64Array(2 * this.length);
      ready.set(this.ready);
      this.ready = ready;
    }
    this.types[this.length] = type;
    this.ready[this.length++] = readyMs;
  }

  get count(): number {
    return this.length;
  }

  /** The columns at their length (this one and `after`'s batches numbered after its own). */
  finish(after?: BatchColumns): { typeOfBatch: Uint8Array; readyMsOfBatch: Float64Array } {
    const extra = after?.length ?? 0;
    const typeOfBatch = new Uint8Array(this.length + extra);
    const readyMsOfBatch = new Float64Array(this.length + extra);
    typeOfBatch.set(this.types.subarray(0, this.length));
    readyMsOfBatch.set(this.ready.subarray(0, this.length));
    if (after) {
      typeOfBatch.set(after.types.subarray(0, extra), this.length);
      readyMsOfBatch.set(after.ready.subarray(0, extra), this.length);
    }
    return { typeOfBatch, readyMsOfBatch };
  }
}
