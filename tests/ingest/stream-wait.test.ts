/**
 * drainOrClose leaves no listener behind, whichever event ends the wait: before, each wait that drained left its
 * `close` listener on the stream, and a large .csv.gz set off Node's MaxListenersExceededWarning.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { drainOrClose } from '../../src/ingest/stream-wait.js';

describe('drainOrClose', () => {
  it('resolves on drain, 50 times over, with no listener left and no warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const stream = new PassThrough({ highWaterMark: 4 });
      stream.resume();
      const closeListeners = stream.listenerCount('close');
      for (let k = 0; k < 50; k++) {
        if (!stream.write(Buffer.alloc(16))) await drainOrClose(stream);
        else throw new Error('the write was expected to refuse more');
      }
      expect(stream.listenerCount('close')).toBe(closeListeners);
      expect(stream.listenerCount('drain')).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('resolves when the stream closes instead of draining, and leaves no drain listener', async () => {
    const stream = new PassThrough({ highWaterMark: 4 });
    expect(stream.write(Buffer.alloc(16))).toBe(false);
    const waiting = drainOrClose(stream);
    stream.destroy();
    await waiting;
    expect(stream.listenerCount('drain')).toBe(0);
  });
});
