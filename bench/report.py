#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the NEPF-BENCH-* records of a guest console (tests/vm/guest/bench.sh)
into <out>.json, <out>.md and <out>.png.

  report.py --console console.log --out bench/results/2026-11-21-7.2.13+deb14-arm64
            [--load load.txt] [--host "text"] [--check]

--check: exit 1 unless every (target, job) has at least one valid run and
every target an idle record (used by the check tier on a stored smoke run).
"""
import argparse
import json
import os
import statistics
import sys

TARGETS = ["raw", "nvme_epf", "intree"]
TARGET_NAMES = {"raw": "raw null_blk", "nvme_epf": "nvme_epf",
                "intree": "nvmet-pci-epf (in-tree)"}
JOB_NAMES = {
    "rr4k-qd1": "4k randread QD1 1 job",
    "rr4k-qd32": "4k randread QD32 1 job",
    "rr4k-qd32x4": "4k randread QD32 4 jobs",
    "sr512k-qd32": "512k seqread QD32 1 job",
    "rw4k-qd32x4": "4k randwrite QD32 4 jobs",
}


def parse_console(path):
    meta, runs, idle, fails, skips = {}, [], {}, [], []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("NEPF-BENCH-META "):
                for kv in line.split()[1:]:
                    k, _, v = kv.partition("=")
                    meta[k] = v
            elif line.startswith("NEPF-BENCH-RUN "):
                parts = line.split(" ", 7)
                try:
                    fio = json.loads(parts[7])
                except (IndexError, ValueError) as e:
                    fails.append({"line": line[:120], "why": "unparsable: %s" % e})
                    continue
                runs.append({"target": parts[1], "job": parts[2], "rep": int(parts[3]),
                             "busy_ticks": int(parts[4]), "kthread_ticks": int(parts[5]),
                             "wall_ms": int(parts[6]), "fio": fio})
            elif line.startswith("NEPF-BENCH-IDLE "):
                p = line.split()
                idle[p[1]] = {"secs": int(p[2]), "busy_ticks": int(p[3]),
                              "kthread_ticks": int(p[4])}
            elif line.startswith("NEPF-BENCH-FAIL "):
                fails.append({"line": line})
            elif line.startswith("NEPF-BENCH-SKIP "):
                skips.append(line[len("NEPF-BENCH-SKIP "):])
    return meta, runs, idle, fails, skips


def run_figures(run, hz, span_s):
    """IOPS, bandwidth, latency and CPU per I/O of one run."""
    job = run["fio"]["jobs"][0]
    if job.get("error", 0):
        return None
    d = max((job["read"], job["write"]), key=lambda x: x["total_ios"])
    iops = d["iops"]
    if iops <= 0:
        return None
    pct = d["clat_ns"].get("percentile", {})
    # I/Os over the measured span (ramp + runtime); CPU ticks cover the
    # same span plus fio's start and exit.
    ios = iops * span_s
    return {
        "iops": iops,
        "bw_MBps": d["bw_bytes"] / 1e6,
        "p50_us": pct.get("50.000000", 0) / 1000.0,
        "p99_us": pct.get("99.000000", 0) / 1000.0,
        "endpoint_cpu_us_per_io": run["kthread_ticks"] / hz / ios * 1e6,
        "guest_cpu_us_per_io": run["busy_ticks"] / hz / ios * 1e6,
        "fio_cpu_pct": job.get("usr_cpu", 0) + job.get("sys_cpu", 0),
    }


def summarize(values):
    med = statistics.median(values)
    return {"median": med, "min": min(values), "max": max(values),
            "spread_pct": (max(values) - min(values)) / med * 100 if med else 0,
            "n": len(values)}


def build(meta, runs, idle, fails, skips, load, host):
    hz = int(meta.get("user_hz") or 100)  # USER_HZ: 100 on arm64 (no getconf in older guests)
    span = int(meta.get("runtime", 10)) + int(meta.get("ramp", 0))
    per = {}
    for r in runs:
        fig = run_figures(r, hz, span)
        if fig is None:
            fails.append({"line": "%s %s rep %d: fio error or no I/O" % (r["target"], r["job"], r["rep"])})
            continue
        per.setdefault(r["target"], {}).setdefault(r["job"], []).append(fig)
    results = {}
    for t, jobs in per.items():
        for j, figs in jobs.items():
            results.setdefault(t, {})[j] = {
                k: summarize([f[k] for f in figs]) for k in figs[0]}
    for t, jobs in results.items():
        for j, s in jobs.items():
            for ref in ("raw", "intree"):
                if ref != t and j in results.get(ref, {}):
                    s["iops_ratio_to_" + ref] = s["iops"]["median"] / results[ref][j]["iops"]["median"]
    idle_out = {}
    for t, i in idle.items():
        idle_out[t] = {"secs": i["secs"],
                       "guest_cpu_pct": i["busy_ticks"] / hz / i["secs"] * 100,
                       "endpoint_cpu_pct": i["kthread_ticks"] / hz / i["secs"] * 100}
    return {"meta": meta, "host": host, "load": load, "results": results,
            "idle": idle_out, "failures": fails, "skipped": skips}


def fmt(v, digits=0):
    return ("%%.%df" % digits) % v


def markdown(rep, name, notes=""):
    m = rep["meta"]
    res = rep["results"]
    out = ["# Benchmark %s" % os.path.basename(name), "",
           "Guest kernel %s, %s vCPUs (QEMU TCG), fio %s; %s s + %s s ramp per run, "
           "%s repetitions (median, spread = (max-min)/median); idle %s s per target."
           % (m.get("kernel"), m.get("cpus"), m.get("fio"), m.get("runtime"), m.get("ramp"),
              m.get("reps"), m.get("idle")), ""]
    if rep["host"]:
        out += ["Host: %s" % rep["host"], ""]
    if rep["load"]:
        la = [float(x) for x in rep["load"]]
        out += ["Host load average (1 min) during the run: min %.2f, median %.2f, max %.2f "
                "(%d samples; the 2-core machine is shared)." %
                (min(la), statistics.median(la), max(la), len(la)), ""]
    head = ("| job | target | IOPS | spread | MB/s | p50 µs | p99 µs | vs raw | vs in-tree "
            "| endpoint CPU µs/IO | guest CPU µs/IO |")
    out += [head, "|" + "---|" * 11]
    for j in JOB_NAMES:
        for t in TARGETS:
            s = res.get(t, {}).get(j)
            if not s:
                continue
            r_raw = s.get("iops_ratio_to_raw")
            r_it = s.get("iops_ratio_to_intree")
            out.append("| %s | %s | %s | %s%% | %s | %s | %s | %s | %s | %s | %s |" % (
                JOB_NAMES[j], TARGET_NAMES[t], fmt(s["iops"]["median"]),
                fmt(s["iops"]["spread_pct"]), fmt(s["bw_MBps"]["median"], 1),
                fmt(s["p50_us"]["median"]), fmt(s["p99_us"]["median"]),
                fmt(r_raw, 2) if r_raw else "-", fmt(r_it, 2) if r_it else "-",
                fmt(s["endpoint_cpu_us_per_io"]["median"], 1),
                fmt(s["guest_cpu_us_per_io"]["median"], 1)))
    out += ["", "Idle (device enabled, no I/O):", "",
            "| target | seconds | endpoint CPU (% of one CPU) | guest CPU (% of one CPU) |",
            "|---|---|---|---|"]
    for t in TARGETS:
        i = rep["idle"].get(t)
        if i:
            out.append("| %s | %d | %.1f | %.1f |" % (TARGET_NAMES[t], i["secs"],
                                                    i["endpoint_cpu_pct"], i["guest_cpu_pct"]))
    if rep["skipped"] or rep["failures"]:
        out += ["", "Skipped / failed:", ""]
        out += ["- skipped: %s" % s for s in rep["skipped"]]
        out += ["- failed: %s" % f["line"] for f in rep["failures"]]
    out += ["", "![chart](%s.png)" % os.path.basename(name), "", METHOD]
    if notes:
        out += ["", notes.rstrip()]
    return "\n".join(out) + "\n"


METHOD = """## Method

- One QEMU TCG guest (`make vmtest` guest: Debian's stock kernel, 4 vCPUs,
  2 GiB) runs both ends of the PCIe link: the endpoint function on vepc and
  the stock nvme host driver on vepc's virtual host bridge.  The namespace
  is a 4 GiB null_blk device (4 submit queues, not memory backed) shared by
  the three targets: `raw` = fio on null_blk itself (the harness's ceiling),
  `nvme_epf` = our function (bdev backend), `nvmet-pci-epf` = the in-tree
  driver built from Debian's linux-source (tests/intree), configured as its
  documentation says; both functions with 4 I/O queues.  Repetitions
  interleave the targets.  fio: libaio, direct, time based; 4-job runs are
  pinned one job per vCPU.
- **CPU**: in a loopback both sides share the guest's CPUs, so "endpoint
  CPU" is the CPU time of all *kernel threads* (utime+stime of PF_KTHREAD
  tasks from /proc/*/stat: the function's pollers and workers, vepc's DMA
  worker) over the run, divided by the I/Os of the run (IOPS x (runtime +
  ramp)); it includes vepc's own DMA copies (same harness for both
  functions) and, since the kernel has no IRQ time accounting, interrupts
  that hit those threads.  "guest CPU" is all non-idle time of all CPUs
  (/proc/stat) per I/O: fio, block layer, host nvme driver, endpoint and
  harness; it is tick-sampled, and under TCG ticks are lost when the host
  is loaded, so it undercounts (it can come out below "endpoint CPU", which
  is exact scheduler time): read it as a lower bound.  For `raw` both are
  the baseline of fio + null_blk.  Idle: the same counters over the idle
  period with the device enabled (measured right after the host driver
  probed), as % of one CPU.
- The host sees nvmet-pci-epf's namespace through an nvme multipath head
  (its identify data sets CMIC), nvme_epf's directly: one more bio layer
  on the in-tree side, negligible next to the differences below.
- Absolute numbers are TCG numbers (every instruction emulated, 4 vCPUs on a
  shared 2-core host): compare ratios within one run, not with hardware.
"""


def chart(rep, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    res = rep["results"]
    jobs = [j for j in JOB_NAMES if any(j in res.get(t, {}) for t in TARGETS)]
    targets = [t for t in TARGETS if t in res]
    fig, ax = plt.subplots(figsize=(10, 5))
    width = 0.8 / max(len(targets), 1)
    for i, t in enumerate(targets):
        xs, ys, lo, hi = [], [], [], []
        for k, j in enumerate(jobs):
            s = res[t].get(j)
            if not s:
                continue
            xs.append(k + (i - (len(targets) - 1) / 2) * width)
            ys.append(s["iops"]["median"])
            lo.append(s["iops"]["median"] - s["iops"]["min"])
            hi.append(s["iops"]["max"] - s["iops"]["median"])
        ax.bar(xs, ys, width, yerr=[lo, hi], capsize=3, label=TARGET_NAMES[t])
    ax.set_xticks(range(len(jobs)))
    ax.set_xticklabels([JOB_NAMES[j] for j in jobs], fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("IOPS (median, min-max; log scale)")
    ax.set_title("fio in the QEMU TCG loopback guest, %s" % rep["meta"].get("kernel", "?"))
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def check(rep):
    ok = True
    targets = rep["meta"].get("targets", "").split(",")
    jobs = rep["meta"].get("jobs", "").split(",")
    for t in targets:
        for j in jobs:
            good = j in rep["results"].get(t, {})
            print("%s: bench-report-%s-%s" % ("PASS" if good else "FAIL", t, j))
            ok &= good
        good = t in rep["idle"]
        print("%s: bench-report-%s-idle" % ("PASS" if good else "FAIL", t))
        ok &= good
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--console", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--load")
    ap.add_argument("--host", default="")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--notes", help="markdown appended to the .md (the findings of this run)")
    a = ap.parse_args()
    meta, runs, idle, fails, skips = parse_console(a.console)
    if not meta:
        print("no NEPF-BENCH-META record in %s" % a.console, file=sys.stderr)
        return 1
    load = []
    if a.load and os.path.exists(a.load):
        with open(a.load) as f:
            load = [ln.split()[0] for ln in f if ln.strip()]
    rep = build(meta, runs, idle, fails, skips, load, a.host)
    with open(a.out + ".json", "w") as f:
        json.dump(rep, f, indent=1, sort_keys=True)
    with open(a.out + ".md", "w") as f:
        notes = ""
        if a.notes and os.path.exists(a.notes):
            with open(a.notes) as n:
                notes = n.read()
        f.write(markdown(rep, a.out, notes))
    chart(rep, a.out + ".png")
    if a.check:
        return 0 if check(rep) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
