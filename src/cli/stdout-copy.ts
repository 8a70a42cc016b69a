import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const COPY_BUFFER_BYTES = 1 << 20;

/**
 * Copies a written file to stdout in 1 MB pieces (`analyze --json` prints the report.json it has just written,
 * instead of serialising the report a second time). A reader that closes the pipe early ends the copy quietly.
 */
export function copyFileToStdout(path: string): void {
  const buffer = Buffer.alloc(COPY_BUFFER_BYTES);
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      let offset = 0;
      while (offset < bytesRead) {
        try {
          offset += writeSync(1, buffer, offset, bytesRead - offset);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EPIPE') return;
          if (code !== 'EAGAIN') throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}
