import { defineConfig } from 'vitest/config';

process.env.TZ = 'UTC';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { TZ: 'UTC', NO_COLOR: '1' },
    // The JSON results let .ci/run print one plain closing line (N passed, N failed).
    reporters: ['default', ['json', { outputFile: 'tests/output/vitest-results.json' }]],
  },
});
