/** Worker thread entry for csv-threaded: reads each chunk job it is sent and posts the columns back by transfer. */
import { parentPort } from 'node:worker_threads';
import { transferList } from './csv-chunk-builder.js';
import { type ChunkJob, parseChunk } from './csv-chunk-parse.js';

const port = parentPort;
if (port !== null) {
  port.on('message', (job: ChunkJob) => {
    void parseChunk(job).then((result) => port.postMessage(result, result.ok ? transferList(result.columns) : []));
  });
}
