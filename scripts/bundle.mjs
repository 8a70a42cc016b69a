// Bundles the CLI with esbuild into dist/bundle/ (package.json `bin.vsm` points at dist/bundle/vsm.js): one file
// for what every command loads, lazy chunks for what `import()` loads (readers, Vega, Vega-Lite), and the CSV read
// worker and the wait-cause sweep worker as entries of their own beside them, so csv-threaded and wait-sweep-threads
// find `./csv-chunk-worker.js` and `./wait-sweep-worker.js` next to their own chunks.
// Start-up: Node's ES-module loader resolving ≈ 260 modules one by one was most of `vsm --version` (docs/benchmarks.md).
// The library (dist/index.js) stays tsc's output. Run by scripts/post-build.mjs after tsc.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;

// Native or wasm packages load as installed: their binaries and .wasm files sit beside their own modules.
// protobufjs: @datadog/sketches-js requires it only inside toProto/fromProto (sketch serialization), which vsm never
// calls, and does not declare it; left external so the bundle builds without it.
const EXTERNAL = ['@duckdb/node-api', '@duckdb/node-bindings', 'sql.js', 'protobufjs/minimal'];

// CommonJS dependencies bundled into ESM call `require` for Node built-ins; give each output file a real one.
const REQUIRE_SHIM = "import { createRequire as vsmCreateRequire } from 'node:module'; const require = vsmCreateRequire(import.meta.url);";

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { vsm: 'src/cli/main.ts', 'csv-chunk-worker': 'src/ingest/csv-chunk-worker.ts', 'wait-sweep-worker': 'src/metrics/wait-sweep-worker.ts', 'digest-worker': 'src/ingest/digest-worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  sourcemap: true,
  sourcesContent: false,
  banner: { js: REQUIRE_SHIM },
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});

// The bin keeps main.ts's `#!/usr/bin/env node` line. Source maps stay off at run time (Node would read every
// chunk's map as it loads it); src/cli/source-stack.ts reads them only to print an internal error's stack (exit 3).
chmodSync(`${outdir}/vsm.js`, 0o755);
