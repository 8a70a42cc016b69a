#!/usr/bin/env python3
"""The pandas work of PM4Py's basic pipeline, run on this host in the same bench run (bench/run.mjs --pandas).

PM4Py itself cannot be installed here (PyPI is not reachable), so the bench's PM4Py ratio divides a time recorded on
2026-11-25 by one measured now. This script measures, today and on the same CSV as vsm, the DataFrame operations
that pipeline is made of, with Debian's python3-pandas (1.5.3, the version the PM4Py oracle of ../shared/data/expected
ran with): read_csv; format_dataframe's steps (case id as text, timestamps parsed, a row index, a stable sort by case,
time and row); a DFG and a performance DFG the way PM4Py's DataFrame adapter builds them (sorted again, the frame
shifted by one row, pairs within one case kept, grouped by the activity pair: counts, and mean / median / max / min /
sum / std of the gaps); variants (each case's activity sequence, counted); case durations (last minus first
timestamp per case, sorted). Written from the documented behaviour, not PM4Py's code.

It leaves out PM4Py's own overhead (its parameter handling, conversions, the result dictionaries), so it is a lower
bound of PM4Py's time on this host today: if it takes a large share of the recorded 49 s, the recorded figure is
still a fair yardstick; if it takes little, the host was slower when PM4Py was timed.

    python3 bench/pandas-peer.py --file bench/out/tickets-5m.csv
prints one JSON line: { ok, events, cases, seconds, stages: {name: s}, maxRssMB, pandas } or { ok: false, error }.

    python3 bench/pandas-peer.py --calibrate ../shared/data
measures the host's speed against the day PM4Py was timed: the oracle of ../shared/data/expected recorded, per CSV log,
how long pandas took to read it (`read`) and to parse its timestamps (`parse_timestamps`). Those two steps are pandas
alone, so running them again here on the same files, with the same pandas, says how much faster or slower this host
is now: `factor` = recorded seconds ÷ seconds now, summed over the logs of at least CALIBRATION_MIN_EVENTS events (each
read once, as the oracle did); the small logs' times are mostly fixed per-call costs, so they are listed, not summed.
Prints { ok, factor, logs: [{ log, events, readSeconds, recordedReadSeconds, parseSeconds, recordedParseSeconds }] }.
"""
import argparse
import json
import os
import resource
import sys
import time

CASE = "case:concept:name"
ACTIVITY = "concept:name"
TIME = "time:timestamp"
# Logs smaller than this are listed by --calibrate but not summed into its factor (module comment).
CALIBRATION_MIN_EVENTS = 50_000


def calibrate(data_dir: str, pd) -> dict:
    """The oracle's read and timestamp steps again on every shared CSV log it timed (module comment)."""
    expected_dir = os.path.join(data_dir, "expected")
    if not os.path.isdir(expected_dir):
        return {"ok": False, "error": f"no PM4Py oracle results at {expected_dir}"}
    logs = []
    for name in sorted(os.listdir(expected_dir)):
        if not name.endswith(".csv.pm4py.json"):
            continue
        with open(os.path.join(expected_dir, name), encoding="utf-8") as handle:
            oracle = json.load(handle)
        timings = oracle.get("timings_s", {})
        source = oracle.get("source", {})
        mapping = source.get("column_mapping", {})
        path = os.path.join(data_dir, os.path.basename(source.get("path", "")))
        if "read" not in timings or "parse_timestamps" not in timings or not os.path.isfile(path) or "timestamp" not in mapping:
            continue
        text_columns = {mapping[key]: str for key in ("case", "activity") if key in mapping}
        started = time.perf_counter()
        frame = pd.read_csv(path, sep=source.get("csv_separator", ","), dtype=text_columns)
        read_seconds = time.perf_counter() - started
        started = time.perf_counter()
        pd.to_datetime(frame[mapping["timestamp"]], utc=True)
        parse_seconds = time.perf_counter() - started
        logs.append({
            "log": name[: -len(".pm4py.json")],
            "events": int(len(frame)),
            "readSeconds": round(read_seconds, 4),
            "recordedReadSeconds": timings["read"],
            "parseSeconds": round(parse_seconds, 4),
            "recordedParseSeconds": timings["parse_timestamps"],
        })
    if not logs:
        return {"ok": False, "error": f"no CSV log with recorded read and timestamp timings under {data_dir}"}
    large = [entry for entry in logs if entry["events"] >= CALIBRATION_MIN_EVENTS]
    if not large:
        return {"ok": False, "error": f"no shared CSV log of {CALIBRATION_MIN_EVENTS} events or more with recorded timings under {data_dir}"}
    now = sum(entry["readSeconds"] + entry["parseSeconds"] for entry in large)
    recorded = sum(entry["recordedReadSeconds"] + entry["recordedParseSeconds"] for entry in large)
    return {"ok": True, "factor": round(recorded / now, 3), "seconds": round(now, 3), "recordedSeconds": round(recorded, 3), "from": [entry["log"] for entry in large], "logs": logs, "pandas": pd.__version__}


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file")
    parser.add_argument("--calibrate")
    args = parser.parse_args()
    if (args.file is None) == (args.calibrate is None):
        return {"ok": False, "error": "give --file <csv> or --calibrate <shared data folder>"}
    try:
        import numpy as np
        import pandas as pd
    except ImportError as error:
        return {"ok": False, "error": f"pandas is not installed ({error}); apt-get install -y python3-pandas"}
    if args.calibrate is not None:
        return calibrate(args.calibrate, pd)

    stages = {}
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    started = time.perf_counter()
    mark = started

    def stage(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        stages[name] = round(now - mark, 3)
        mark = now

    frame = pd.read_csv(args.file)
    stage("read_csv")
    frame[CASE] = frame[CASE].astype(str)
    frame[TIME] = pd.to_datetime(frame[TIME], utc=True)
    frame["@@index"] = np.arange(len(frame))
    frame = frame.sort_values([CASE, TIME, "@@index"], kind="mergesort")
    stage("format_dataframe")

    def successive_pairs(columns):
        ordered = frame.sort_values([CASE, TIME], kind="mergesort")[columns]
        following = ordered.shift(-1)
        following.columns = [f"{name}_2" for name in columns]
        pairs = pd.concat([ordered, following], axis=1)
        return pairs[pairs[CASE] == pairs[f"{CASE}_2"]]

    frequency = successive_pairs([CASE, ACTIVITY]).groupby([ACTIVITY, f"{ACTIVITY}_2"]).size()
    stage("dfg")
    pairs = successive_pairs([CASE, ACTIVITY, TIME])
    pairs = pairs.assign(gap=(pairs[f"{TIME}_2"] - pairs[TIME]).dt.total_seconds())
    performance = pairs.groupby([ACTIVITY, f"{ACTIVITY}_2"])["gap"].agg(["mean", "median", "max", "min", "sum", "std"])
    stage("performance_dfg")
    variants = frame.groupby(CASE, sort=False)[ACTIVITY].agg(tuple).value_counts()
    stage("variants")
    by_case = frame.groupby(CASE, sort=False)[TIME]
    durations = sorted(((by_case.max() - by_case.min()).dt.total_seconds()).tolist())
    stage("case_durations")

    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "ok": True,
        "events": int(len(frame)),
        "cases": int(frame[CASE].nunique()),
        "edges": int(len(frequency)),
        "performanceEdges": int(len(performance)),
        "variants": int(len(variants)),
        "durations": len(durations),
        "seconds": round(seconds, 3),
        "cpuSeconds": round(usage.ru_utime + usage.ru_stime - cpu_before, 3),
        "stages": stages,
        # ru_maxrss is in kilobytes on Linux.
        "maxRssMB": round(usage.ru_maxrss / 1024, 1),
        "pandas": pd.__version__,
    }


if __name__ == "__main__":
    try:
        result = main()
    except Exception as error:  # one JSON line either way: the bench reads it
        result = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    print(json.dumps(result))
    sys.exit(0)
