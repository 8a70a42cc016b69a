import { describe, expect, it } from 'vitest';
import { BatchColumns, BatchType } from '../../src/metrics/batch-types.js';

describe('BatchColumns', () => {
  it('keeps every pushed batch in number order past its initial room, trimmed to the count', () => {
    const columns = new BatchColumns();
    for (let b = 0; b < 200; b++) columns.push(b % 3 === 0 ? BatchType.sequential : BatchType.parallel, 1000 + b);
    expect(columns.count).toBe(200);
    const { typeOfBatch, readyMsOfBatch } = columns.finish();
    expect(typeOfBatch.length).toBe(200);
    expect(readyMsOfBatch.length).toBe(200);
    expect(Array.from(readyMsOfBatch)).toEqual(Array.from({ length: 200 }, (_, b) => 1000 + b));
    expect(typeOfBatch[0]).toBe(BatchType.sequential);
    expect(typeOfBatch[1]).toBe(BatchType.parallel);
    expect(typeOfBatch[199]).toBe(BatchType.parallel);
  });

  it('numbers the batches of `after` after its own', () => {
    const parallel = new BatchColumns();
    const sequential = new BatchColumns();
    parallel.push(BatchType.parallel, 5);
    parallel.push(BatchType.parallel, 6);
    sequential.push(BatchType.sequential, 9);
    const { typeOfBatch, readyMsOfBatch } = parallel.finish(sequential);
    expect(Array.from(typeOfBatch)).toEqual([BatchType.parallel, BatchType.parallel, BatchType.sequential]);
    expect(Array.from(readyMsOfBatch)).toEqual([5, 6, 9]);
    expect(new BatchColumns().finish().readyMsOfBatch.length).toBe(0);
  });
});
