// Prints vitest's totals as one plain line ("tests: N passed, N failed, N skipped") for CI logs.
// Optional arguments: the checkout whose tests/output/vitest-results.json to read (default: this one) and a label.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
const [checkout, label = 'tests'] = process.argv.slice(2);
const resultsUrl = checkout
  ? resolve(checkout, 'tests/output/vitest-results.json')
  : new URL('../tests/output/vitest-results.json', import.meta.url);
const results = JSON.parse(readFileSync(resultsUrl, 'utf8'));
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`${label}: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`);
