import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './run-cli.js';

/**
 * Runs the CLI with the read end of its stdout closed before it writes (what `| head -1` does once it has its line; the
 * CLI takes far longer to start than the close), and returns its exit code and stderr.
 */
function runWithStdoutClosed(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a reader that closes the pipe early (vsm … | head)', () => {
  it('ends the run quietly with its own exit code, no EPIPE stack trace', async () => {
    // Before the handler this printed "Error: write EPIPE" with a stack and exited 1.
    for (const args of [['compare', '--help'], ['inspect', 'fixtures/cli/tickets.csv']]) {
      const result = await runWithStdoutClosed(args);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    // A usage error still says so on stderr and exits 2.
    const bad = await runWithStdoutClosed(['simulate', 'fixtures/cli/tickets.csv', '--method', 'exact']);
    expect(bad.stderr).toContain('--method must be one of');
    expect(bad.code).toBe(2);
  });
});
