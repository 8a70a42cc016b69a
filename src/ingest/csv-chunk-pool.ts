/**
 * A small pool of worker threads for csv-threaded: each worker reads one chunk job at a time (csv-chunk-worker);
 * jobs queue in submission order, an urgent job (a chunk read again) goes first. Without a worker script (tests run
 * from source without a build) the jobs run inline on the main thread, with the same results.
 */
import { Worker } from 'node:worker_threads';
import { type ChunkJob, type ChunkResult, parseChunk } from './csv-chunk-parse.js';

interface Queued {
  job: ChunkJob;
  resolve: (result: ChunkResult) => void;
  reject: (error: Error) => void;
}

export class ChunkPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Queued[] = [];
  private readonly running = new Map<Worker, Queued>();
  private closed = false;
  /** Inline jobs run one after another (as one worker would), so memory holds one chunk being read at a time. */
  private inlineTail: Promise<unknown> = Promise.resolve();

  /** @param script the worker entry; undefined runs jobs inline. */
  constructor(
    workers: number,
    private readonly script: URL | undefined,
  ) {
    if (script === undefined) return;
    for (let k = 0; k < workers; k++) {
      const worker = new Worker(script);
      worker.on('message', (result: ChunkResult) => this.done(worker, result));
      worker.on('error', (error: Error) => this.failed(worker, error));
      worker.on('exit', () => this.failed(worker, new Error('chunk worker exited')));
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  run(job: ChunkJob, urgent = false): Promise<ChunkResult> {
    if (this.script === undefined) {
      const result = this.inlineTail.then(() => parseChunk(job));
      this.inlineTail = result;
      return result;
    }
    return new Promise<ChunkResult>((resolve, reject) => {
      if (this.closed) return reject(new Error('chunk pool closed'));
      const queued = { job, resolve, reject };
      if (urgent) this.queue.unshift(queued);
      else this.queue.push(queued);
      this.next();
    });
  }

  private next(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const queued = this.queue.shift() as Queued;
      this.running.set(worker, queued);
      worker.postMessage(queued.job);
    }
  }

  private done(worker: Worker, result: ChunkResult): void {
    const queued = this.running.get(worker);
    this.running.delete(worker);
    this.idle.push(worker);
    queued?.resolve(result);
    this.next();
  }

  private failed(worker: Worker, error: Error): void {
    const queued = this.running.get(worker);
    this.running.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    queued?.reject(error);
    // Without this worker the queue may never drain: fail what waits, the caller reads on one thread.
    if (!this.closed) for (const waiting of this.queue.splice(0)) waiting.reject(error);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.queue.splice(0)) waiting.reject(new Error('chunk pool closed'));
    await Promise.all(this.all.map((worker) => worker.terminate()));
  }
}
