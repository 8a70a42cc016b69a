/**
 * A reader that closes its end of the pipe early (`vsm compare --help | head -3`) makes the next write to stdout fail
 * with EPIPE, which Node raises as an unhandled 'error' event: a stack trace and exit code 1 for what is the shell's
 * normal way of saying "enough". With this handler the rest of the output is dropped and the run ends as it would
 * have (its files written, its exit code); any other stream error is still thrown.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
