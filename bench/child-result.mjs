// The one-JSON-line protocol of the bench's child processes (measure.mjs, duckdb.mjs): run `main`, print its result
// as one line on stdout and exit 0 when it says ok; any failure prints `{ ok: false, error }` and exits 3.
export function printChildResult(main) {
  main().then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(result.ok ? 0 : 3);
    },
    (error) => {
      process.stdout.write(`${JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) })}\n`);
      process.exit(3);
    },
  );
}
