#!/usr/bin/env bash
# CLI start-up (docs/benchmarks.md, "CLI start-up, bundled"): OLD and NEW CLIs alternating, ROUNDS (5) rounds per
# scenario, `/usr/bin/time -f "%e %U %S %M"` per run and the load before it, into $TMP_DIR/results.tsv; the reports
# of each analysis are compared with cmp. Usage: OLD=/path/to/other/dist/cli/main.js bash bench/startup.sh
OLD=${OLD:?set OLD to the reference CLI, e.g. /work/main/dist/cli/main.js}
NEW=${NEW:-$(cd "$(dirname "$0")/.." && pwd)/dist/bundle/vsm.js}
RE=${RE:-$(cd "$(dirname "$0")/.." && pwd)/../shared/data/running-example.csv}
M1=${M1:-$(cd "$(dirname "$0")/.." && pwd)/bench/out/tickets-1m.csv}
ROUNDS=${ROUNDS:-5}
TMP_DIR=${TMP_DIR:-$(mktemp -d)}
out=$TMP_DIR/results.tsv
: > $out
scenario() {
  local name=$1; shift
  for r in $(seq 1 $ROUNDS); do
    for side in old new; do
      local bin=$OLD; [ $side = new ] && bin=$NEW
      local args=("$@"); args=("${args[@]//@OUT@/$TMP_DIR/out-$side-$name}")
      local load=$(cut -d' ' -f1 /proc/loadavg)
      /usr/bin/time -o $TMP_DIR/t -f "%e %U %S %M" node $bin "${args[@]}" > /dev/null 2>$TMP_DIR/err || echo "FAIL $name $side" >> $out
      echo -e "$name\t$side\t$r\t$load\t$(cat $TMP_DIR/t)" >> $out
    done
  done
  if [ -f $TMP_DIR/out-old-$name/report.json ]; then cmp $TMP_DIR/out-old-$name/report.json $TMP_DIR/out-new-$name/report.json && echo -e "$name\treport.json identical" >> $out || echo -e "$name\treport.json DIFFERS" >> $out; fi
}
scenario version --version
scenario help --help
scenario re-nohtml analyze "$RE" --no-html --no-progress --out @OUT@
scenario re-html analyze "$RE" --no-progress --out @OUT@
# The 1 M-event log: node bench/generate.mjs (docs/benchmarks.md, "Run"), or M1=path.
if [ -f "$M1" ]; then scenario 1m-nohtml analyze "$M1" --no-html --no-progress --out @OUT@; else echo "skipped 1m-nohtml: no $M1"; fi
echo "results: $out"
