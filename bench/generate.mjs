#!/usr/bin/env node
// Writes a deterministic synthetic help-desk log for benchmarks: same options → byte-identical file.
//   node bench/generate.mjs --events 1000000 --format csv --seed 42 --out bench/out/tickets-1m.csv
// Uses the built library (npm run build) so the generator is the one the tests cover.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const FORMATS = ['csv', 'xes', 'csv.gz', 'xes.gz'];

async function loadLibrary() {
  try {
    const generate = await import('../dist/synthetic/generate.js');
    const write = await import('../dist/synthetic/write-log.js');
    return { ...generate, ...write };
  } catch (error) {
    throw new Error(`the built generator is missing (${error.message}) · run "npm run build" first`);
  }
}

/**
 * Generates one log file and returns { path, events, cases, bytes, seconds }.
 * `events` is exact (cases are sized to just above it and the stream is cut there); `cases` overrides it.
 */
export async function generateLogFile({ events, cases, format, shape = 'activity-start-complete', seed = 42, out }) {
  if (!FORMATS.includes(format)) throw new Error(`unknown format "${format}" · use one of ${FORMATS.join(', ')}`);
  const library = await loadLibrary();
  const startedAt = performance.now();
  const caseCount = cases ?? library.casesForEvents(events, shape, seed);
  const options = { seed, cases: caseCount, shape, ...(cases === undefined ? { maxEvents: events } : {}) };
  mkdirSync(dirname(out), { recursive: true });
  const writer = format.startsWith('xes') ? library.writeXes : library.writeCsv;
  const result = await writer(library.generateTicketLog(options), out, { shape });
  return { ...result, seconds: (performance.now() - startedAt) / 1000 };
}

function usage() {
  return [
    'usage: node bench/generate.mjs --events N [--format csv|xes|csv.gz|xes.gz] [--shape S] [--seed 42] --out FILE',
    '       (--cases N instead of --events N gives every case of N cases, cut only at the export horizon)',
    `shapes: activity-start-complete (default), activity-complete-only, status-changes`,
  ].join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      cases: { type: 'string' },
      format: { type: 'string' },
      shape: { type: 'string', default: 'activity-start-complete' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage());
    return 0;
  }
  const events = values.events === undefined ? undefined : Number(values.events.replace(/_/g, ''));
  const cases = values.cases === undefined ? undefined : Number(values.cases);
  if (values.out === undefined || (events === undefined && cases === undefined)) {
    console.error(usage());
    return 2;
  }
  if ((events !== undefined && !(Number.isSafeInteger(events) && events > 0)) || (cases !== undefined && !(Number.isSafeInteger(cases) && cases > 0))) {
    console.error(`--events / --cases must be a whole number > 0 · got ${values.events ?? values.cases}`);
    return 2;
  }
  const format = values.format ?? FORMATS.find((f) => values.out.endsWith(`.${f}`)) ?? 'csv';
  const result = await generateLogFile({ events, cases, format, shape: values.shape, seed: Number(values.seed), out: values.out });
  console.log(
    `${result.path}: ${result.events.toLocaleString('en-US')} events, ${result.cases.toLocaleString('en-US')} cases, ` +
      `${(result.bytes / 1e6).toFixed(1)} MB in ${result.seconds.toFixed(1)} s`,
  );
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
