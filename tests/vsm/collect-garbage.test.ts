import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/vsm/collect-garbage.js';

describe('collectGarbage', () => {
  it('runs a full collection on Node, which frees an unreachable object', async () => {
    let target: object | undefined = { payload: new Float64Array(1024) };
    const ref = new WeakRef(target);
    target = undefined;
    // A WeakRef target survives until the end of the current job: let it end before collecting.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(collectGarbage()).toBe(true);
    expect(ref.deref()).toBeUndefined();
    expect(collectGarbage()).toBe(true);
  });
});
