#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the NEPF-BENCH-* records of a guest console (tests/vm/guest/bench.sh)
into <out>.json, <out>.md and <out>.png: the TCG figures (paired per
repetition), both drivers' counts per I/O and their projection onto real
SoCs (project.py, costs/*.json).

  report.py --console console.log --out bench/results/2026-11-21-7.2.13+deb14-arm64
            [--load load.txt] [--host "text"] [--soc costs/rk3588.json] [--check]

--check: exit 1 unless every (target, job) has at least one valid run,
every target an idle record and, when the run counted, every function
target counts for every job (used by the check tier on a stored smoke run).
"""
import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import project  # noqa: E402

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


def kv_fields(fields):
    out = {}
    for kv in fields:
        k, _, v = kv.partition("=")
        try:
            out[k] = int(v)
        except ValueError:
            out[k] = v
    return out


def fio_record(line, nfields, fails):
    """A record whose last of NFIELDS fields is fio's JSON: (fields, fio),
    or None (counted as a failure) when the JSON does not parse."""
    parts = line.split(" ", nfields - 1)
    try:
        return parts, json.loads(parts[nfields - 1])
    except (IndexError, ValueError) as e:
        fails.append({"line": line[:120], "why": "unparsable: %s" % e})
        return None


def empty_extra():
    return {"count": {}, "vepc": {}, "costs": {}, "hist": {}, "hosterr": [],
            "trace": {}, "order": {}, "trace_err": [], "params": {}, "end": {}}


def parse_console(path):
    meta, runs, idle, fails, skips = {}, [], {}, [], []
    extra = empty_extra()
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if line.startswith("NEPF-BENCH-COUNT "):
                rec = fio_record(line, 6, fails)
                if not rec:
                    continue
                parts, fio = rec
                extra["count"][(parts[1], parts[2])] = {
                    "n": int(parts[3]), "wall_ms": int(parts[4]), "fio": fio}
            elif line.startswith(("NEPF-BENCH-VEPC ", "NEPF-BENCH-COSTS ")):
                p = line.split()
                kind = "vepc" if p[0] == "NEPF-BENCH-VEPC" else "costs"
                extra[kind][(p[1], p[2])] = kv_fields(p[3:])
            elif line.startswith("NEPF-BENCH-HIST "):
                p = line.split(" ", 4)
                row = project.parse_hist_line(p[4]) if len(p) == 5 else None
                if row:
                    extra["hist"].setdefault((p[1], p[2]), {}).setdefault(p[3], []).append(row)
            elif line.startswith("NEPF-BENCH-HOSTERR "):
                p = line.split()
                extra["hosterr"].append(dict(target=p[1], job=p[2], rep=int(p[3]),
                                             **kv_fields(p[4:])))
            elif line.startswith("NEPF-BENCH-PARAMS "):
                p = line.split()
                extra["params"][p[1]] = kv_fields(p[2:])
            elif line.startswith("NEPF-BENCH-END "):
                extra["end"] = kv_fields(line.split()[1:])
            elif line.startswith("NEPF-BENCH-TRACE "):
                extra["trace"] = kv_fields(line.split()[1:])
            elif line.startswith("NEPF-BENCH-TRACE-ERR "):
                extra["trace_err"].append(line[len("NEPF-BENCH-TRACE-ERR "):])
            elif line.startswith("NEPF-BENCH-ORDER "):
                p = line.split()
                extra["order"][int(p[1])] = p[2:]
            elif line.startswith("NEPF-BENCH-META "):
                for kv in line.split()[1:]:
                    k, _, v = kv.partition("=")
                    meta[k] = v
            elif line.startswith("NEPF-BENCH-RUN "):
                rec = fio_record(line, 8, fails)
                if not rec:
                    continue
                parts, fio = rec
                runs.append({"target": parts[1], "job": parts[2], "rep": int(parts[3]),
                             "busy_ticks": int(parts[4]), "kthread_ticks": int(parts[5]),
                             "wall_ms": int(parts[6]), "fio": fio})
            elif line.startswith("NEPF-BENCH-IDLE "):
                p = line.split()
                idle[p[1]] = dict({"secs": int(p[2]), "busy_ticks": int(p[3]),
                                   "kthread_ticks": int(p[4])}, **kv_fields(p[5:]))
            elif line.startswith("NEPF-BENCH-FAIL "):
                fails.append({"line": line})
            elif line.startswith("NEPF-BENCH-SKIP "):
                skips.append(line[len("NEPF-BENCH-SKIP "):])
    return meta, runs, idle, fails, skips, extra


def fio_total_ios(fio):
    job = fio["jobs"][0]
    return job["read"]["total_ios"] + job["write"]["total_ios"]


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
    # CPU per I/O: the ticks cover fio's whole run (start, I/O, drain), the
    # I/O count is fio's total; with a ramp (older runs) fio's total leaves
    # the ramp's I/Os out, so they are estimated as IOPS x (runtime + ramp).
    ios = fio_total_ios(run["fio"]) if not span_s[1] else iops * sum(span_s)
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


def counts_of(extra):
    """{driver: {job: counts per I/O}} and notes from the count runs."""
    counts, notes, ledger = {}, [], {}
    # a probe that was placed and never hit has no hist rows: it counted 0
    placed = [("workqueue_execute_start" if e == "workqueue" else e)
              for e in str(extra["trace"].get("placed", "")).split(",") if e]
    for (t, job), cr in sorted(extra["count"].items()):
        if t not in project.DRIVERS:
            continue
        ios = fio_total_ios(cr["fio"])
        if ios <= 0:
            notes.append("%s %s: the count run did no I/O" % (t, job))
            continue
        hists = dict({e: [] for e in placed}, **extra["hist"].get((t, job), {}))
        raw = {k: v for k, v in extra["costs"].get((t, job), {}).items() if isinstance(v, int)}
        c, n = project.derive_counts(t, ios, extra["vepc"].get((t, job), {}), hists, raw or None)
        c["ios"] = ios
        spin = extra.get("params", {}).get(t, {}).get("dma_spin_us")
        if isinstance(spin, int):
            c["dma_spin_us"] = spin
        if raw and "cmds_io" in raw and raw["cmds_io"] != ios:
            n.append("the ledger's cmds_io %d differs from fio's %d I/Os" % (raw["cmds_io"], ios))
        counts.setdefault(t, {})[job] = c
        notes += ["%s %s: %s" % (t, job, x) for x in n]
        if raw:
            # "_max" counters are the largest value per command, not sums
            ledger.setdefault(t, {})[job] = {k: (v if k.endswith("_max") else v / ios)
                                             for k, v in raw.items()}
    # a record lists the counters that moved (older runs) or all of them:
    # a counter the module printed in any job is 0 where it did not move
    for t, jobs in ledger.items():
        names = {k for jc in jobs.values() for k in jc}
        for jc in jobs.values():
            for k in names - set(jc):
                jc[k] = 0.0
    return counts, notes, ledger


def paired(runs, hz, span):
    """Per repetition, nvme_epf's IOPS over the in-tree driver's (and over
    raw) for each job: {job: {ref: [ratio per rep]}}."""
    by = {}
    for r in runs:
        fig = run_figures(r, hz, span)
        if fig:
            by[(r["target"], r["job"], r["rep"])] = fig["iops"]
    out = {}
    for (t, job, rep), iops in sorted(by.items()):
        if t != "nvme_epf":
            continue
        for ref in ("intree", "raw"):
            if (ref, job, rep) in by:
                out.setdefault(job, {}).setdefault(ref, []).append(iops / by[(ref, job, rep)])
    return out


def build(meta, runs, idle, fails, skips, load, host, extra=None, soc_paths=()):
    extra = extra or empty_extra()
    hz = int(meta.get("user_hz") or 100)  # USER_HZ: 100 on arm64 (no getconf in older guests)
    span = (int(meta.get("runtime", 10)), int(meta.get("ramp", 0)))
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
        idle_out[t] = {"secs": i["secs"], "settle": i.get("settle"),
                       "guest_cpu_pct": i["busy_ticks"] / hz / i["secs"] * 100,
                       "endpoint_cpu_pct": i["kthread_ticks"] / hz / i["secs"] * 100,
                       "wakeups_per_s": (i["context_switches"] / i["secs"]
                                         if "context_switches" in i else None)}
    hosterr = {}
    for e in extra["hosterr"]:
        h = hosterr.setdefault(e["target"], {}).setdefault(e["job"], {"timeouts": 0, "resets": 0,
                                                                       "runs": 0, "per_run": []})
        h["timeouts"] += e.get("timeouts", 0)
        h["resets"] += e.get("resets", 0)
        h["runs"] += 1
        # rep 0 is the count run
        h["per_run"].append({"rep": e["rep"], "timeouts": e.get("timeouts", 0),
                             "resets": e.get("resets", 0)})
    counts, count_notes, ledger = counts_of(extra)
    projections = {}
    for path in soc_paths:
        soc = project.load_soc(path)
        params, u, errors = project.calibrate(soc, counts)
        proj, u = project.project_all(soc, counts, params)
        projections[soc["soc"]] = {
            "soc": soc, "params": params, "units": u, "errors": errors, "models": proj,
            "sensitivity": project.sensitivity(soc, counts, params)}
    return {"meta": meta, "host": host, "load": load, "results": results,
            "idle": idle_out, "failures": fails, "skipped": skips,
            "paired": paired(runs, hz, span), "hosterr": hosterr, "order": extra["order"],
            "trace": extra["trace"], "trace_errors": extra["trace_err"],
            "counts": counts, "count_notes": count_notes,
            "ledger": ledger, "projections": projections,
            "params": extra.get("params", {}), "end": extra.get("end", {})}


def fmt(v, digits=0):
    return ("%%.%df" % digits) % v


TCG_INVERTS = """**What QEMU TCG inverts.** The TCG figures below rank the drivers by what
costs time in an emulator, and three costs in which the drivers differ are
inverted there: (1) a CPU read of host memory through an outbound window is
a plain memcpy under TCG, on silicon every 8-byte load is a non-posted PCIe
read that stalls the core for about a microsecond; (2) a DMA under TCG is a
workqueue hop plus a memcpy in vepc, on silicon it is the cheap way to move
host memory; (3) a busy-polling thread takes a host core from the vCPUs
that run fio and the host driver under TCG, on a board it burns an
otherwise idle endpoint core.  So the TCG ratios do not carry over to a
board: the counts per I/O (exact under any emulator) and their projection
onto a real SoC do."""


def ratio_summary(vals):
    if not vals:
        return "-"
    return "%.2f (%.2f-%.2f, n=%d)" % (statistics.median(vals), min(vals), max(vals), len(vals))


def markdown(rep, name, notes=""):
    m = rep["meta"]
    res = rep["results"]
    out = ["# Benchmark %s" % os.path.basename(name), "", TCG_INVERTS, "",
           "Guest kernel %s, %s vCPUs (QEMU TCG), fio %s; %s s per timed run (ramp %s s), "
           "%s repetitions with the order of the targets rotated (median, spread = "
           "(max-min)/median); idle %s s per target, %s s after the host probed."
           % (m.get("kernel"), m.get("cpus"), m.get("fio"), m.get("runtime"), m.get("ramp"),
              m.get("reps"), m.get("idle"), m.get("idle_settle", 0)), ""]
    if rep.get("end", {}).get("elapsed_s") is not None:
        out += ["Guest time of the benchmark (setup to teardown, without boot): %.0f min."
                % (rep["end"]["elapsed_s"] / 60.0), ""]
    if rep.get("params"):
        out += ["Module parameters: %s." % "; ".join(
            "%s %s" % (t, " ".join("%s=%s" % kv for kv in sorted(p.items())))
            for t, p in sorted(rep["params"].items())), ""]
    if rep["host"]:
        out += ["Host: %s" % rep["host"], ""]
    if rep["load"]:
        la = [float(x) for x in rep["load"]]
        out += ["Host load average (1 min) during the run: min %.2f, median %.2f, max %.2f "
                "(%d samples; the 2-core machine is shared)." %
                (min(la), statistics.median(la), max(la), len(la)), ""]
    out += ["## TCG figures", ""]
    head = ("| job | target | IOPS | spread | MB/s | p50 µs | p99 µs | vs raw | vs in-tree "
            "| endpoint CPU µs/IO | guest CPU µs/IO | host timeouts / resets |")
    out += [head, "|" + "---|" * 12]
    for j in JOB_NAMES:
        for t in TARGETS:
            s = res.get(t, {}).get(j)
            if not s:
                continue
            r_raw = s.get("iops_ratio_to_raw")
            r_it = s.get("iops_ratio_to_intree")
            he = rep.get("hosterr", {}).get(t, {}).get(j)
            out.append("| %s | %s | %s | %s%% | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                JOB_NAMES[j], TARGET_NAMES[t], fmt(s["iops"]["median"]),
                fmt(s["iops"]["spread_pct"]), fmt(s["bw_MBps"]["median"], 1),
                fmt(s["p50_us"]["median"]), fmt(s["p99_us"]["median"]),
                fmt(r_raw, 2) if r_raw else "-", fmt(r_it, 2) if r_it else "-",
                fmt(s["endpoint_cpu_us_per_io"]["median"], 1),
                fmt(s["guest_cpu_us_per_io"]["median"], 1),
                "%d / %d in %d" % (he["timeouts"], he["resets"], he["runs"]) if he else "-"))
    out += ["", "Host timeouts / resets: the host nvme driver's log lines during the runs "
            "of that cell (timed runs and the count run), summed, in N runs; per run in the "
            ".json (`hosterr`) and the .records.txt."]
    if rep.get("paired"):
        out += ["", "Paired per repetition (each repetition's nvme_epf IOPS over the other "
                "target's in the same repetition; median (min-max, n)):", "",
                "| job | nvme_epf / in-tree | nvme_epf / raw |", "|---|---|---|"]
        for j in JOB_NAMES:
            pr = rep["paired"].get(j)
            if pr:
                out.append("| %s | %s | %s |" % (JOB_NAMES[j], ratio_summary(pr.get("intree")),
                                                 ratio_summary(pr.get("raw"))))
    if rep.get("order"):
        out += ["", "Order of the targets per repetition: %s." % "; ".join(
            "%s: %s" % (k, " ".join(v)) for k, v in sorted(rep["order"].items(), key=lambda x: int(x[0])))]
    out += ["", "Idle (device enabled, no I/O, measured %s s after the host probed):"
            % m.get("idle_settle", 0), "",
            "| target | seconds | endpoint CPU (% of one CPU) | guest CPU (% of one CPU) | "
            "wakeups/s |", "|---|---|---|---|---|"]
    for t in TARGETS:
        i = rep["idle"].get(t)
        if i:
            ws = i.get("wakeups_per_s")
            out.append("| %s | %d | %.1f | %.1f | %s |" % (
                TARGET_NAMES[t], i["secs"], i["endpoint_cpu_pct"], i["guest_cpu_pct"],
                "%.0f" % ws if ws is not None else "n/a"))
    out += ["", "Wakeups/s: context switches of all CPUs per second (/proc/stat ctxt; no "
            "user task runs, so they are kernel-thread wakeups; the raw target's row is "
            "the guest's background)."]
    out += counts_markdown(rep)
    for pj in rep.get("projections", {}).values():
        out += ["", "## Projection onto %s" % pj["soc"]["title"]]
        out += project.projection_table(pj["models"], pj["soc"], pj["params"], pj["errors"],
                                        pj["units"])
        if pj["sensitivity"]:
            out += ["", "Sensitivity (modelled IOPS with one unit at its other value):", ""]
            out += pj["sensitivity"]
        out += ["", "### At the seed points (for the issue's closing note)", ""]
        out += project.summary(pj["models"], rep["counts"])
        out += ["", "### Unit costs and their sources"] + project.units_table(pj["soc"], pj["units"])
    if rep["skipped"] or rep["failures"]:
        out += ["", "Skipped / failed:", ""]
        out += ["- skipped: %s" % s for s in rep["skipped"]]
        out += ["- failed: %s" % f["line"] for f in rep["failures"]]
    out += ["", "![chart](%s.png)" % os.path.basename(name), "", METHOD]
    if notes:
        out += ["", notes.rstrip()]
    return "\n".join(out) + "\n"


def counts_markdown(rep):
    out = ["", "## Counts per I/O (exact under TCG)", ""]
    if not rep.get("counts"):
        return out + ["No count runs in this run."]
    tr = rep.get("trace") or {}
    out += ["From one run per driver and job of a fixed number of I/Os (fio's I/O count "
            "divides): vepc's statistics (what the EPC saw), kprobes on the kernel's window "
            "copy routines and the EPC core (%s), and the workqueue tracepoint keyed by work "
            "function, aggregated in the kernel by tracefs hist triggers.  Placed: %s; "
            "missing: %s.  A count that could not be had is n/a."
            % (", ".join("%s=%s" % (k, tr[k]) for k in ("fromio", "toio") if k in tr) or "-",
               tr.get("placed", "-"), tr.get("missing") or "none")]
    if rep.get("trace_errors"):
        out += ["", "Probes the kernel refused (tracefs error_log):", ""]
        out += ["- `%s`" % e for e in rep["trace_errors"]]
    out += project.counts_table(rep["counts"])
    wf = {(d, j): c.get("work_functions") for d, jobs in rep["counts"].items()
          for j, c in jobs.items() if c.get("work_functions")}
    if wf:
        out += ["", "Work items per I/O by function:", ""]
        out += ["- %s %s: %s" % (d, j, ", ".join("%s %.2f" % kv for kv in f.items()))
                for (d, j), f in sorted(wf.items())]
    if rep.get("count_notes"):
        out += ["", "Notes:", ""] + ["- %s" % n for n in rep["count_notes"]]
    if rep.get("ledger"):
        out += ["", "nvme_epf's own cost ledger (debugfs costs, per I/O; `_max` counters: "
                "the largest per command during the run), and what the projection does with "
                "each counter (costed, checked against the EPC's count it costs, shown, or "
                "**uncosted** and why):", ""]
        for d, jobs in rep["ledger"].items():
            out += project.ledger_table(jobs)
    else:
        out += ["", "nvme_epf's own cost ledger (debugfs `nvme_epf/<fn>/costs`): not in the "
                "module of this run (bench.sh reads it when present)."]
    return out


METHOD = """## Method

- One QEMU TCG guest (`make vmtest` guest: Debian's stock kernel, 4 vCPUs,
  2 GiB) runs both ends of the PCIe link: the endpoint function on vepc and
  the stock nvme host driver on vepc's virtual host bridge.  The namespace
  is a 4 GiB null_blk device (4 submit queues, not memory backed) shared by
  the three targets: `raw` = fio on null_blk itself (the harness's ceiling),
  `nvme_epf` = our function (bdev backend, module defaults), `nvmet-pci-epf`
  = the in-tree driver built from Debian's linux-source (tests/intree),
  configured as its documentation says; both functions with 4 I/O queues.
- **Fairness**: the order of the targets rotates from one repetition to the
  next and the ratios are also given paired per repetition; fio (libaio,
  direct, time based, no ramp) is never pinned, because the in-tree
  driver's doorbell poller is a work item bound to one vCPU and a job
  pinned there would starve it for that target only; host timeouts and
  resets are counted per run from the host driver's log.
- **CPU**: in a loopback both sides share the guest's CPUs, so "endpoint
  CPU" is the CPU time of all *kernel threads* (utime+stime of PF_KTHREAD
  tasks from /proc/*/stat: the function's pollers and workers, vepc's DMA
  worker) over the run, divided by fio's total I/O count of the run; it
  includes vepc's own DMA copies (same harness for both functions) and,
  since the kernel has no IRQ time accounting, interrupts that hit those
  threads.  "guest CPU" is all non-idle time of all CPUs (/proc/stat) per
  I/O: fio, block layer, host nvme driver, endpoint and harness; it is
  tick-sampled, and under TCG ticks are lost when the host is loaded, so it
  undercounts (it can come out below "endpoint CPU", which is exact
  scheduler time): read it as a lower bound.  For `raw` both are the
  baseline of fio + null_blk.  Idle: the same counters plus the context
  switches of kernel threads, over the idle period with the device enabled,
  starting a settle time after the host probed (steady state: the in-tree
  driver polls for 5 s after its last command).
- **Counts and projection**: see the sections above and bench/README.md;
  the counts come from separate runs of a fixed number of I/Os with the
  probes on, so the timed runs carry no tracing.
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
        if str(rep["meta"].get("counts")) == "1" and t in project.DRIVERS:
            for j in jobs:
                c = rep["counts"].get(t, {}).get(j)
                good = bool(c) and c.get("raise_irq", 0) > 0
                print("%s: bench-report-%s-%s-counts" % ("PASS" if good else "FAIL", t, j))
                ok &= good
    for name, pj in rep.get("projections", {}).items():
        for t in targets:
            if t not in project.DRIVERS:
                continue
            good = all(j in pj["models"].get(t, {}) for j in jobs if j in project.JOBS) \
                if str(rep["meta"].get("counts")) == "1" else True
            print("%s: bench-report-%s-projection-%s" % ("PASS" if good else "FAIL", name, t))
            ok &= good
    return ok


def jsonable(x):
    """inf -> None (strict JSON), the SoC table without its path."""
    if isinstance(x, float) and (x != x or x in (float("inf"), float("-inf"))):
        return None
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--console", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--load")
    ap.add_argument("--host", default="")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--notes", help="markdown appended to the .md (the findings of this run)")
    ap.add_argument("--soc", action="append",
                    help="unit-cost table(s) to project onto (default: every costs/*.json)")
    a = ap.parse_args()
    if not a.soc:
        cdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "costs")
        a.soc = sorted(os.path.join(cdir, f) for f in os.listdir(cdir) if f.endswith(".json"))
    meta, runs, idle, fails, skips, extra = parse_console(a.console)
    if not meta:
        print("no NEPF-BENCH-META record in %s" % a.console, file=sys.stderr)
        return 1
    load = []
    if a.load and os.path.exists(a.load):
        with open(a.load) as f:
            load = [ln.split()[0] for ln in f if ln.strip()]
    rep = build(meta, runs, idle, fails, skips, load, a.host, extra, a.soc)
    with open(a.out + ".json", "w") as f:
        json.dump(jsonable(rep), f, indent=1, sort_keys=True)
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
