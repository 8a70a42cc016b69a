// One-off helper for merging branches made before src/contracts existed: rewrites relative imports of the moved
// modules (src/vsm/{report,compare,simulate}-schema.ts, IngestReport from src/ingest/ingest-report.ts in render/vsm)
// to src/contracts. Usage: node scripts/fix-contract-imports.mjs [--dry-run]; then npm run typecheck && npm run lint.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const MOVED = new Map(['report-schema', 'compare-schema', 'simulate-schema'].map((name) => [`src/vsm/${name}.js`, `src/contracts/${name}.js`]));
const dryRun = process.argv.includes('--dry-run');

function* sourceFiles(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|mjs|js)$/.test(name)) yield path;
  }
}

const SPECIFIER = /(from\s+|import\()(['"])(\.[^'"]+)\2/g;
for (const folder of ['src', 'tests', 'bench']) {
  for (const file of sourceFiles(folder)) {
    const text = readFileSync(file, 'utf8');
    const fixed = text.replace(SPECIFIER, (whole, keyword, quote, specifier) => {
      let target = normalize(join(dirname(file), specifier));
      // Render and vsm read the IngestReport types from contracts (render may not import ingest at all); only types
      // live there, so a value import (IngestReportBuilder) would then fail the type check, which is the point.
      if (target === 'src/ingest/ingest-report.js' && /^src\/(render|vsm)\//.test(file)) {
        target = 'src/contracts/ingest-report.js';
      } else if (MOVED.has(target)) {
        target = MOVED.get(target);
      } else return whole;
      let moved = relative(dirname(file), target);
      if (!moved.startsWith('.')) moved = `./${moved}`;
      return `${keyword}${quote}${moved}${quote}`;
    });
    if (fixed !== text) {
      console.log(`${dryRun ? 'would fix' : 'fixed'} ${file}`);
      if (!dryRun) writeFileSync(file, fixed);
    }
  }
}
