// After tsc: makes the tsc CLI entry executable (tsc does not keep file modes), then bundles the `vsm` bin
// (scripts/bundle.mjs → dist/bundle/vsm.js, what package.json `bin.vsm` points at).
import { chmodSync, existsSync } from 'node:fs';
const entry = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(entry)) chmodSync(entry, 0o755);
await import('./bundle.mjs');
