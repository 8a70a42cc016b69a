// Preloaded into a measured child (`node --import ./bench/usage-at-exit.mjs …`): when the process exits it writes
// its own process.resourceUsage() — peak RSS and CPU of all its threads — as JSON to $VSM_BENCH_USAGE_FILE, so a
// benchmark can measure an unchanged `vsm` command without GNU time. Worker threads load it too and do nothing.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.VSM_BENCH_USAGE_FILE;
if (isMainThread && file) process.on('exit', () => writeFileSync(file, `${JSON.stringify(process.resourceUsage())}\n`));
