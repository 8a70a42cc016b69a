/** The batches' result (batches.ts, batches-in-order.ts): per instance, its batch, type and ready time. */
export const BatchType = { none: 0, parallel: 1, sequential: 2 } as const;
export const BATCH_TYPE_NAMES = ['', 'parallel', 'sequential'] as const;

export interface Batches {
  /** Batch number per instance, -1 when not in a batch. */
  readonly batchId: Int32Array;
  readonly batchType: Uint8Array;
  /** When the instance's batch was ready (its last member's enabled time); NaN outside batches. */
  readonly readyMs: Float64Array;
  readonly parallelCount: number;
  readonly sequentialCount: number;
}
