#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Summarize the records of bench/inject-ab.sh as markdown (stdout).

inject-ab-report.py RECORDS LOADFILE HOSTTEXT

Per variant: the median IOPS, min-max, spread ((max-min)/median), the
median's difference to "out" (hooks compiled out), median clat p50/p99;
and per repetition the IOPS of each variant, to show the drift.
"""
import json
import statistics
import sys

VARIANTS = ["out", "none", "nomatch"]
LABELS = {"out": "hooks compiled out", "none": "no rule",
          "nomatch": "1 rule, never matches (nsid 99)"}


def main():
    records, loadfile, host = sys.argv[1:4]
    meta, runs, fails = {}, {}, []
    with open(records, errors="replace") as f:
        for line in f:
            kind, _, rest = line.rstrip("\n").partition(" ")
            if kind == "NEPF-INJAB-META":
                meta = dict(kv.split("=", 1) for kv in rest.split() if "=" in kv)
            elif kind == "NEPF-INJAB-RUN":
                variant, rep, js = rest.split(" ", 2)
                try:
                    job = json.loads(js)["jobs"][0]["read"]
                except (ValueError, KeyError, IndexError) as e:
                    # A kernel message written into the line breaks it.
                    fails.append(f"{variant} {rep} unparsable record: {e}")
                    continue
                pct = job["clat_ns"].get("percentile", {})
                runs.setdefault(variant, []).append({
                    "rep": int(rep), "iops": job["iops"],
                    "p50": pct.get("50.000000", 0) / 1000,
                    "p99": pct.get("99.000000", 0) / 1000})
            elif kind == "NEPF-INJAB-FAIL":
                fails.append(rest)
    loads = []
    try:
        with open(loadfile) as f:
            loads = [float(line.split()[0]) for line in f if line.strip()]
    except OSError:
        pass

    print(f"# Error-injection hooks: end-to-end A/B, {meta.get('kernel', '?')}\n")
    print("What QEMU TCG inverts (bench/README.md): window reads of host memory are a "
          "memcpy here but stalled non-posted reads on silicon, a DMA is a workqueue hop "
          "here but the cheap path on silicon, a busy poller takes a host core here but "
          "an idle endpoint core on a board.  This A/B compares one driver with and "
          "without its hooks, so none of these differs between the variants.\n")
    print(f"fio 4k random read, QD32, 1 job, libaio, direct, on a `null` namespace "
          f"(1 GiB, 4 I/O queues), {meta.get('runtime')} s + {meta.get('ramp')} s ramp "
          f"per run, {meta.get('reps')} repetitions; {meta.get('fio', '')}; guest "
          f"{meta.get('cpus')} vCPUs under QEMU TCG; host {host}, load average "
          + (f"{min(loads):.1f}-{max(loads):.1f} (median {statistics.median(loads):.1f})"
             if loads else "not sampled") + ".\n")
    med = {v: statistics.median(r["iops"] for r in runs[v]) for v in runs}
    print("| variant | runs | median IOPS | min-max | spread | vs out | p50 µs | p99 µs |")
    print("|---|---|---|---|---|---|---|---|")
    for v in VARIANTS:
        if v not in runs:
            continue
        iops = [r["iops"] for r in runs[v]]
        vs = f"{100 * (med[v] - med['out']) / med['out']:+.1f} %" if "out" in med else "-"
        print(f"| {LABELS[v]} | {len(iops)} | {med[v]:.0f} | {min(iops):.0f}-{max(iops):.0f} "
              f"| {100 * (max(iops) - min(iops)) / med[v]:.0f} % | {vs} "
              f"| {statistics.median(r['p50'] for r in runs[v]):.0f} "
              f"| {statistics.median(r['p99'] for r in runs[v]):.0f} |")
    print("\nIOPS per repetition (the order alternates: odd repetitions run "
          "no rule, nomatch, out; even ones out, nomatch, no rule):\n")
    print("| rep | " + " | ".join(v for v in VARIANTS if v in runs) + " |")
    print("|---|" + "---|" * len([v for v in VARIANTS if v in runs]))
    reps = sorted({r["rep"] for v in runs for r in runs[v]})
    for rep in reps:
        cells = []
        for v in VARIANTS:
            if v in runs:
                x = [r["iops"] for r in runs[v] if r["rep"] == rep]
                cells.append(f"{x[0]:.0f}" if x else "-")
        print(f"| {rep} | " + " | ".join(cells) + " |")
    if fails:
        print("\nFailed runs:\n")
        for f in fails:
            print(f"- {f}")
    print(f"\nModules: stock md5 {meta.get('stock')}, hooks compiled out md5 {meta.get('out')}.")


if __name__ == "__main__":
    main()
