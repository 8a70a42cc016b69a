import { describe, expect, it } from 'vitest';
import { sourceMappedStack } from '../../src/cli/source-stack.js';
import { ROOT } from './run-cli.js';

describe('sourceMappedStack: an internal error stack from the bundle, mapped back to src/*.ts', () => {
  it('leaves frames of files without a .map beside them as they are', () => {
    const stack = ['Error: x', '    at f (node:internal/process/task_queues:95:5)', `    at g (${ROOT}node_modules/commander/lib/command.js:1122:5)`, `    at ${ROOT}nowhere/x.js:1:2`].join('\n');
    expect(sourceMappedStack(stack)).toBe(stack);
  });
  it('maps a frame of the bundled bin, and of the tsc output (it writes maps too), to its source file', () => {
    // A location inside the bundle's program code maps to a src/ file.
    expect(sourceMappedStack(`    at runProgram (file://${ROOT}dist/bundle/vsm.js:40:5)`)).toMatch(/at runProgram \(\/.+\/src\/[\w/.-]+\.ts:\d+:\d+\)$/);
    expect(sourceMappedStack(`    at runProgram (file://${ROOT}dist/cli/program.js:40:9)`)).toMatch(/at runProgram \(\/.+\/src\/cli\/program\.ts:\d+:\d+\)$/);
  });
});
