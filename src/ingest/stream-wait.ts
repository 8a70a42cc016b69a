import type { EventEmitter } from 'node:events';

/**
 * Waits until a stream that refused a write drains, or closes (a destroyed stream never drains). Whichever comes
 * first removes the other's listener: one `close` listener left behind per wait piled up on a large gzipped file (11
 * waits set off Node's "possible EventEmitter memory leak" warning on every `vsm analyze` of a 5 M-event .csv.gz).
 * @example if (!gunzip.write(chunk)) await drainOrClose(gunzip);
 */
export function drainOrClose(stream: EventEmitter): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}
