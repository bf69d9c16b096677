#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Project counts per I/O onto a real endpoint SoC (issue #13).

Under QEMU TCG time is noise, but what a driver asks of the endpoint per
I/O is exact: CPU loads through windows, window maps, EPC calls, DMA
descriptors and bytes, interrupts, hand-offs.  This module turns those
counts into a modelled endpoint time per I/O and a modelled ceiling of
every serialized resource, with unit costs kept as data per SoC
(bench/costs/<soc>.json, each with its source), calibrated so that the
in-tree driver's counts reproduce its published figures.

  project.py --counts counts.json [--soc bench/costs/rk3588.json]

counts.json: {"<driver>": {"<job>": {count: value per I/O, ...}}} as
report.py writes it (its .json, key "counts").  Library use: report.py
calls derive_counts(), calibrate() and project_all().

The model (bench/README.md has the same in prose):
- endpoint time per I/O T = sum over counts of count x unit cost (below);
  QD1 latency = host_qd1 + T; estimate-kind units are scaled by k.
- serialized resources, hold time per I/O:
    poller      the thread that fetches SQEs: its own loads, window maps,
                DMA descriptors (setup + wait), plus cmd_fixed / 3; and
                for the share of I/Os it runs itself (nvme_epf's ledger
                exec_poller), the rest of their endpoint time
    epc_lock    every EPC call runs under the core's global epc->lock
    dma_read/dma_write  per channel: descriptors x setup + bytes / channel
                bandwidth + the waits: one per batch of descriptors
                submitted together (the ledger's dma_*_waits; without
                them, one per descriptor); a wait that keeps its channel
                (dma_waits_held) costs the channel the whole wait, one
                that lets other batches queue costs it dma_spin_wait (the
                completion's turnaround); over the channels the driver
                used
    windows     map + unmap + the loads/stores through the window, over
                the windows the driver may hold at once
    per_cq      completion work that runs serialized per CQ (the in-tree
                driver's cq_work): hand-off + interrupts + CQE stores,
                over the CQs in use (one per fio job)
    cpus        all endpoint CPU time (T without DMA transfer time and
                sleeping waits) over the SoC's CPUs
    link        payload bytes / link bandwidth
    host        host CPU per I/O over the fio jobs
- IOPS = min(jobs x QD / latency, 1 / max(hold)); the binding resource
  is named.
"""
import argparse
import json
import math
import os
import re
import sys

JOBS = {
    # name: (iodepth, numjobs, block size, read)
    "rr4k-qd1": (1, 1, 4096, True),
    "rr4k-qd32": (32, 1, 4096, True),
    "rr4k-qd32x4": (32, 4, 4096, True),
    "sr512k-qd32": (32, 1, 524288, True),
    "rw4k-qd32x4": (32, 4, 4096, False),
}

# What the model needs to know about each driver's structure, read in its
# code (not measurable from outside): how to recognise its poller, which
# work item completes per CQ, how many windows it may hold at once.
DRIVERS = {
    "nvme_epf": {
        "title": "nvme_epf",
        # poll.c: kthread_run(nepf_poll_thread, g, "nvme_epf/%s", ...)
        "poller_comm": "nvme_epf/",
        "poller_frames": ("nepf_poll_thread",),
        "poll_funcs": (),
        # completion runs in the command's worker under cq->lock
        "per_cq_funcs": (),
        # dma.c: max_windows = 2 (a semaphore around every map)
        "windows": 2,
        "func_prefixes": ("nepf_", "nvme_epf"),
        "not_handoffs": ("nepf_cc_work_fn", "nepf_link_work_fn"),
        # poll.c nepf_cc_work_fn -> irq.c nepf_irq_refresh: get_msix and
        # get_msi at every register poll (cc_poll_ms), not per I/O
        "background_frames": ("nepf_cc_work_fn",),
        # dma.c nepf_dma_batch_wait: a command's descriptors are one
        # batch with one wait (the ledger's dma_*_waits count them); a
        # batch of up to NEPF_DMA_SPIN_MAX (4096) bytes is polled for
        # dma_spin_us (20) before the waiter sleeps, a longer one sleeps.
        # Before the batches (no dma_*_waits in the ledger): the same
        # rule per descriptor, each with its own wait.
        "dma_wait": {"spin_max": 4096, "spin_us": 20},
    },
    "intree": {
        "title": "nvmet-pci-epf (in-tree)",
        # pci-epf.c: poll_sqs delayed work on system_wq, loops while busy
        "poller_comm": None,
        "poller_frames": ("nvmet_pci_epf_poll_sqs_work",),
        "poll_funcs": ("nvmet_pci_epf_poll_sqs_work",),
        # pci-epf.c: one cq->work per CQ on system_highpri_wq
        "per_cq_funcs": ("nvmet_pci_epf_cq_work",),
        # pci-epf.c: mmio_lock serializes window transfers; CQs are mapped
        # by cq_work (7.2: kept mapped)
        "windows": 1,
        "func_prefixes": ("nvmet_pci_epf_",),
        "not_handoffs": ("nvmet_pci_epf_poll_sqs_work", "nvmet_pci_epf_poll_cc_work"),
        "background_frames": ("nvmet_pci_epf_poll_cc_work",),
        # pci-epf.c: dma_sync_wait() polls tx_status, no callback: the EPC's
        # count of descriptors with a callback (0) says the same
        "dma_wait": None,
    },
}

RESOURCES = ["poller", "epc_lock", "dma_read", "dma_write", "windows", "per_cq",
             "cpus", "link", "host"]

# Counts per I/O the model reads, in table order, with their meaning.
COUNT_ROWS = [
    ("np_loads", "CPU 8-byte loads from host memory through windows (non-posted reads)"),
    ("np_loads_poller", "... of which on the poller"),
    ("cpu_write_ops", "CPU window writes (memcpy_toio calls)"),
    ("cpu_write_bytes", "CPU window write bytes"),
    ("window_maps", "window maps (map_addr)"),
    ("window_map_bytes", "bytes mapped"),
    ("window_unmaps", "window unmaps"),
    ("ioremaps", "window allocations with ioremap (pci_epc_mem_alloc_addr)"),
    ("epc_lock_ops", "EPC calls under epc->lock (map, unmap, raise, get_msi(x), get_features)"),
    ("raise_irq", "raise_irq calls"),
    ("msi", "interrupts delivered (MSI/MSI-X)"),
    ("get_msix", "get_msi/get_msix calls on the I/O path"),
    ("get_msix_background", "get_msi/get_msix calls of the register poll (time-driven: not in the model)"),
    ("get_features", "get_features calls"),
    ("dma_read_desc", "DMA descriptors, host to endpoint"),
    ("dma_read_bytes", "DMA bytes, host to endpoint"),
    ("dma_write_desc", "DMA descriptors, endpoint to host"),
    ("dma_write_bytes", "DMA bytes, endpoint to host"),
    ("dma_desc_poller", "DMA descriptors issued by the poller"),
    ("dma_irq_waits", "DMA descriptors with a completion callback"),
    ("dma_read_small", "... host to endpoint of at most 4 KiB (nvme_epf polls those)"),
    ("dma_write_small", "... endpoint to host of at most 4 KiB"),
    ("dma_read_chans", "read channels used"),
    ("dma_write_chans", "write channels used"),
    ("handoffs", "work items of the driver executed (hand-offs)"),
    ("per_cq_work", "... of which per-CQ completion work"),
    ("exec_poller", "I/O commands the poller ran itself (no hand-off)"),
    ("host_segs", "host data segments (host driver's DMA maps)"),
]


def job_props(job):
    if job not in JOBS:
        raise KeyError("unknown job %s" % job)
    qd, nj, bs, rd = JOBS[job]
    return {"qd": qd, "jobs": nj, "bs": bs, "read": rd}


# ---------------------------------------------------------------- counts

HIST_KEY = re.compile(r"common_pid:\s*(\S+)\s*\[\s*(\d+)\]")
FRAME = re.compile(r"([A-Za-z_][\w.]*)\+0x[0-9a-f]+/0x[0-9a-f]+")


def parse_hist_line(line):
    """'{ common_pid: comm [ pid], len: 64 } hitcount: 3 len: 192' ->
    {"comm", "pid", key fields..., "hitcount", value fields...}"""
    if "{" not in line or "}" not in line:
        return None
    key, _, vals = line.partition("}")
    key = key.split("{", 1)[1]
    out = {}
    m = HIST_KEY.search(key)
    if m:
        out["comm"], out["pid"] = m.group(1), int(m.group(2))
    if "stacktrace:" in key:
        out["stack"] = [f.split(".")[0] for f in FRAME.findall(key)]
    m = re.search(r"function:\s*(.*)$", key)
    if m:
        toks = [t for t in m.group(1).replace(",", " ").split() if not t.startswith("[")]
        if toks:
            out["function"] = toks[0].split("+")[0]
    for k in ("len", "type", "dir", "len24", "len12"):
        m = re.search(r"\b%s:\s*(\d+)" % k, key)
        if m:
            out[k] = int(m.group(1))
    for k, v in re.findall(r"\b(\w+):\s*(\d+)", vals):
        out["val_" + k] = int(v)
    return out if "val_hitcount" in out else None


def _is_driver_func(fn, drv):
    return any(fn.startswith(p) for p in drv["func_prefixes"])


def derive_counts(driver, ios, vepc, hists, ledger=None):
    """Counts per I/O of DRIVER from one count run.

    ios: fio's I/O count; vepc: {stat: delta}; hists: {event: [parsed
    hist rows]} (parse_hist_line); ledger: the driver's own cost ledger
    over the run, {counter: delta} (nvme_epf only), which fills what the
    probes could not count (c["from_ledger"] names those).  A count that
    cannot be had is None (shown as n/a), never a guess.  Returns
    (counts, notes)."""
    drv = DRIVERS[driver]
    notes = []
    v = lambda k: vepc.get(k, 0)  # noqa: E731
    c = {"from_ledger": {}}
    per = lambda x: x / ios  # noqa: E731
    have = lambda ev: ev in hists  # noqa: E731

    # roles by pid: the poller, per-CQ completion workers
    poller, per_cq = set(), set()
    wq = hists.get("workqueue_execute_start")
    if wq is not None:
        byfunc = {}
        for r in wq:
            fn = r.get("function", "")
            if fn in drv["poll_funcs"]:
                poller.add(r["pid"])
            if fn in drv["per_cq_funcs"]:
                per_cq.add(r["pid"])
            byfunc[fn] = byfunc.get(fn, 0) + r["val_hitcount"]
        drv_funcs = {f: n for f, n in byfunc.items() if _is_driver_func(f, drv)}
        c["handoffs"] = per(sum(n for f, n in drv_funcs.items()
                                if f not in drv["not_handoffs"]))
        c["per_cq_work"] = per(sum(n for f, n in drv_funcs.items()
                                   if f in drv["per_cq_funcs"]))
        c["work_functions"] = {f: per(n) for f, n in sorted(drv_funcs.items())}
    else:
        c["handoffs"] = c["per_cq_work"] = None
        notes.append("no workqueue histogram: hand-offs n/a")
    for ev in hists.values():
        for r in ev:
            if drv["poller_comm"] and r.get("comm", "").startswith(drv["poller_comm"]):
                poller.add(r["pid"])

    stacks = any("stack" in r for ev in hists.values() for r in ev)

    def on_poller(r):
        if "stack" in r:
            return any(f in drv["poller_frames"] for f in r["stack"])
        return r.get("pid") in poller

    # CPU window copies (kprobes on memcpy_fromio/memcpy_toio)
    if have("fromio"):
        loads = [(math.ceil(r.get("len", 0) / 8) * r["val_hitcount"], on_poller(r))
                 for r in hists["fromio"]]
        c["np_loads"] = per(sum(n for n, _ in loads))
        c["np_loads_poller"] = per(sum(n for n, p in loads if p))
        c["np_read_bytes"] = per(sum(r.get("len", 0) * r["val_hitcount"]
                                     for r in hists["fromio"]))
    else:
        c["np_loads"] = c["np_loads_poller"] = c["np_read_bytes"] = None
        notes.append("no memcpy_fromio kprobe: CPU window reads n/a")
    if have("toio"):
        c["cpu_write_ops"] = per(sum(r["val_hitcount"] for r in hists["toio"]))
        c["cpu_write_bytes"] = per(sum(r.get("len", 0) * r["val_hitcount"]
                                       for r in hists["toio"]))
    else:
        c["cpu_write_ops"] = c["cpu_write_bytes"] = None
        notes.append("no memcpy_toio kprobe: CPU window writes n/a")
    if have("memalloc"):
        c["ioremaps"] = per(sum(r["val_hitcount"] for r in hists["memalloc"]))
        c["ioremaps_poller"] = per(sum(r["val_hitcount"] for r in hists["memalloc"]
                                       if on_poller(r)))
    else:
        c["ioremaps"] = c["ioremaps_poller"] = None
        notes.append("no pci_epc_mem_alloc_addr kprobe: ioremaps n/a")

    # vepc: what the EPC saw (exact, whichever driver)
    c["window_maps"] = per(v("op_map_addr"))
    c["window_unmaps"] = per(v("op_unmap_addr"))
    c["window_map_bytes"] = per(v("window_map_bytes"))
    c["raise_irq"] = per(v("op_raise_intx") + v("op_raise_msi") + v("op_raise_msix"))
    c["msi"] = per(v("irq_msi") + v("irq_msix"))
    getmsi = v("op_get_msi") + v("op_get_msix")
    bg, how = _background_msi_calls(drv, getmsi, hists, ledger)
    if how:
        notes.append(how)
    c["get_msix"] = per(getmsi - (bg or 0))
    c["get_msix_background"] = None if bg is None else per(bg)
    c["get_features"] = per(v("op_get_features"))
    c["epc_lock_ops"] = (c["window_maps"] + c["window_unmaps"] + c["raise_irq"] +
                         c["get_msix"] + c["get_features"])
    c["dma_read_desc"] = per(v("dma_read_desc"))
    c["dma_read_bytes"] = per(v("dma_read_bytes"))
    c["dma_write_desc"] = per(v("dma_write_desc"))
    c["dma_write_bytes"] = per(v("dma_write_bytes"))
    c["dma_irq_waits"] = per(v("dma_callbacks"))
    c["dma_read_chans"] = sum(1 for k, n in vepc.items()
                              if re.match(r"dma_ch\d+_read_desc$", k) and n > 0)
    c["dma_write_chans"] = sum(1 for k, n in vepc.items()
                               if re.match(r"dma_ch\d+_write_desc$", k) and n > 0)
    c["host_segs"] = per(v("host_map_segs"))
    c["window_busy"] = per(v("window_busy"))
    # poller's share of the map calls and DMA descriptors (kprobes; the
    # kprobe on pci_epc_map_addr misses calls the compiler inlined into
    # pci_epc_mem_map(), so the share comes from the histogram only when
    # its total matches vepc's)
    if have("map") and (poller or stacks):
        tot = sum(r["val_hitcount"] for r in hists["map"])
        if tot == v("op_map_addr"):
            c["window_maps_poller"] = per(sum(r["val_hitcount"] for r in hists["map"]
                                              if on_poller(r)))
        else:
            c["window_maps_poller"] = None
            notes.append("pci_epc_map_addr kprobe saw %d calls, vepc %d: poller share n/a"
                         % (tot, v("op_map_addr")))
    else:
        c["window_maps_poller"] = None if not have("map") else 0.0
    if have("dmaprep"):
        c["dma_desc_poller"] = per(sum(r["val_hitcount"] for r in hists["dmaprep"]
                                       if on_poller(r)))
    else:
        c["dma_desc_poller"] = None
        notes.append("no DMA prep kprobe: the poller's DMA descriptors n/a")
    if have("dmaprep"):
        # dmaengine's direction: 2 DMA_DEV_TO_MEM (host to endpoint), 1 to host
        for d, code in (("read", 2), ("write", 1)):
            c["dma_%s_desc_poller" % d] = per(sum(
                r["val_hitcount"] for r in hists["dmaprep"]
                if on_poller(r) and r.get("dir") == code))
    if not poller and not stacks:
        notes.append("poller not identified (no stack keys, no histogram row of its thread)")
    notes += _dma_sizes(c, drv, hists.get("dmalen"), v, ios)
    if ledger:
        notes += _fill_from_ledger(c, ledger, ios)
    return c, notes


def _dma_sizes(c, drv, rows, v, ios):
    """dma_<dir>_small: descriptors per I/O of at most the driver's polling
    limit, from the dmalen histogram (one row per direction and length).
    Its length field is read at two offsets of the scatterlist: the one
    whose total matches vepc's bytes and descriptors in both directions is
    used; none: the model falls back to the mean size, and says so."""
    pol = drv.get("dma_wait")
    if not pol or not rows:
        return []
    for field in ("len24", "len12"):
        ok = all(sum(r["val_hitcount"] for r in rows if r.get("dir") == code) == v("dma_%s_desc" % d)
                 and sum(r.get(field, 0) * r["val_hitcount"] for r in rows
                         if r.get("dir") == code) == v("dma_%s_bytes" % d)
                 for d, code in (("read", 2), ("write", 1)))
        if ok:
            for d, code in (("read", 2), ("write", 1)):
                c["dma_%s_small" % d] = sum(r["val_hitcount"] for r in rows if r.get("dir") == code
                                            and r.get(field, 0) <= pol["spin_max"]) / ios
            return []
    return ["DMA lengths: no field of the dmalen probe sums to the EPC's bytes; waits by the "
            "mean size per direction"]


def _background_msi_calls(drv, total, hists, ledger):
    """get_msi(x) calls made by the driver's periodic register poll, which
    depend on the run's wall time, not on its I/Os: (calls or None, note).
    By kernel stack when the hist is keyed by it: the calls of the I/O path
    are the hist's rows without a background frame, and everything else
    the EPC counted is background.  The EPC's count spans more time than
    the hist (its snapshots are taken before the triggers are armed and
    after they are read): the calls in between are the register poll's,
    as no I/O runs then.  Else the ledger's epc_get_msi_io (the calls
    outside the register poll, irq.c), else its cc_polls (each refreshes
    the MSI state once, get_msix and get_msi); else unknown (all calls stay
    per I/O)."""
    rows = hists.get("getmsix", []) + hists.get("getmsi", [])
    if not total:
        return 0, None
    if rows and all("stack" in r for r in rows):
        io = sum(r["val_hitcount"] for r in rows
                 if not any(f in drv["background_frames"] for f in r["stack"]))
        return max(total - io, 0), None
    if ledger and "epc_get_msi_io" in ledger:
        io = min(total, ledger["epc_get_msi_io"])
        return total - io, ("get_msi(x): %d of %d calls on the I/O path (ledger epc_get_msi_io)"
                            % (io, total))
    if ledger and "cc_polls" in ledger:
        per_poll = (("epc_get_msix" in ledger) + ("epc_get_msi" in ledger)) or 1
        bg = min(total, ledger["cc_polls"] * per_poll)
        return bg, ("get_msi(x): %d of %d calls taken as the register poll's (ledger cc_polls %d "
                    "x %d per poll)" % (bg, total, ledger["cc_polls"], per_poll))
    return None, ("get_msi(x): the register poll's calls could not be told apart: all %d "
                  "counted per I/O" % total)


# Counts the probes may miss that the ledger has (docs/costs.md): count
# key -> ledger counter.  The poller's share of CPU loads is known only
# when there are none.
LEDGER_FILLS = {
    "np_loads": "win_read_loads",
    "np_read_bytes": "win_read_bytes",
    "cpu_write_ops": "win_write_ops",
    "cpu_write_bytes": "win_write_bytes",
    "ioremaps": "ioremaps",
}
# Ledger counters that vepc also counts: a mismatch is reported.
LEDGER_CHECKS = {
    "dma_rx_descs": "dma_read_desc", "dma_rx_bytes": "dma_read_bytes",
    "dma_tx_descs": "dma_write_desc", "dma_tx_bytes": "dma_write_bytes",
    "epc_raise_irq": "raise_irq", "win_maps": "window_maps", "win_unmaps": "window_unmaps",
}


LEDGER_CHECKS["handoffs"] = "handoffs"

# Every counter of nvme_epf's ledger (src/costs.h, docs/costs.md) and what
# the projection does with it: "costed" (a count x a unit cost), "check"
# (the model costs the EPC's or the tracepoint's count of the same thing,
# and the two are compared), "shown" (no cost of its own), "uncosted"
# (a real cost the model leaves out, and why).  A counter missing here is
# printed as uncosted and unknown, never dropped; test_project.py fails
# until every counter of src/costs.h is listed.
LEDGER_USE = {
    "cmds_io": ("shown", "the ledger's divisor; equals fio's I/O count when nothing else uses the drive"),
    "cmds_admin": ("shown", "admin commands, not per I/O"),
    "cqes": ("shown", "one per command; its store is costed with win_write_bytes, its interrupt with epc_raise_irq"),
    "data_segs": ("shown", "host data segments; the DMA descriptors they cause are costed"),
    "data_segs_max": ("shown", "largest per command"),
    "win_read_ops": ("shown", "CPU window reads; their loads are costed (win_read_loads)"),
    "win_read_loads": ("costed", "np_load each, when the memcpy_fromio kprobe is missing"),
    "win_read_bytes": ("shown", "bytes of those loads"),
    "win_write_ops": ("shown", "CPU window writes; costed by their bytes"),
    "win_write_bytes": ("costed", "posted_store per 8 bytes, when the memcpy_toio kprobe is missing"),
    "win_maps": ("check", "the model costs vepc's map_addr calls (window_map)"),
    "win_map_bytes": ("shown", "a map costs the same whatever it covers"),
    "win_unmaps": ("check", "the model costs vepc's unmap_addr calls (window_unmap)"),
    "win_map_retries": ("uncosted", "a 20-100 us wait for a free window, only when windows run short; "
                        "the windows ceiling is the model's view of that"),
    "ioremaps": ("costed", "ioremap_pair each, when the pci_epc_mem_alloc_addr kprobe is missing"),
    "epc_locked": ("shown", "the EPC-lock ceiling sums vepc's calls of each kind"),
    "epc_map_addr": ("shown", "= win_maps"),
    "epc_unmap_addr": ("shown", "= win_unmaps"),
    "epc_raise_irq": ("check", "the model costs vepc's raise_irq calls (msi_raise)"),
    "epc_get_msi": ("shown", "the model costs vepc's get_msi(x) calls of the I/O path (dbi_read); "
                    "the register poll's are time-driven and left out"),
    "epc_get_msix": ("shown", "as epc_get_msi"),
    "epc_get_msi_io": ("shown", "get_msi(x) calls not made by the register poll (a failed raise, "
                       "Create I/O CQ); the I/O path's share of the model's count"),
    "epc_get_features": ("shown", "the model costs vepc's get_features calls"),
    "dma_rx_descs": ("check", "the model costs vepc's read descriptors (dma_setup + wait)"),
    "dma_rx_bytes": ("check", "the model costs vepc's read bytes (channel bandwidth)"),
    "dma_tx_descs": ("check", "the model costs vepc's write descriptors (dma_setup + wait)"),
    "dma_tx_bytes": ("check", "the model costs vepc's write bytes (channel bandwidth)"),
    "dma_descs_max": ("shown", "largest per command"),
    "dma_wait_sleep": ("shown", "not used: under TCG the split between polled and sleeping waits is "
                       "timing; the model applies dma.c's rule to the SoC's unit costs"),
    "dma_wait_spin": ("shown", "as dma_wait_sleep"),
    "dma_chan_busy": ("uncosted", "waits for a busy channel: contention, which the per-channel "
                      "ceilings stand for"),
    "dma_rx_waits": ("costed", "one wait per batch (dma_spin_wait polled, dma_irq_wait asleep, by "
                     "the batch's mean bytes); without the counter, one per descriptor"),
    "dma_tx_waits": ("costed", "as dma_rx_waits"),
    "dma_waits_held": ("costed", "the share of waits after which the channel's next transfer waits "
                       "for a waiter's look: the channel's ceiling pays them whole, the others "
                       "dma_spin_wait"),
    "dma_waits_max": ("shown", "largest per command"),
    "irq_msix": ("shown", "interrupts sent; costed as epc_raise_irq"),
    "irq_msi": ("shown", "as irq_msix"),
    "irq_intx": ("shown", "as irq_msix"),
    "handoffs": ("check", "the model costs the workqueue tracepoint's count (wakeup each)"),
    "handoff_exec": ("shown", "part of handoffs"),
    "handoff_defer": ("shown", "part of handoffs"),
    "handoff_exec_later": ("shown", "part of handoffs"),
    "exec_poller": ("costed", "the share of I/Os the poller ran itself (no hand-off, so not in "
                    "handoffs): the poller's hold takes that share of the endpoint time "
                    "beyond its own part"),
    "exec_poller_off": ("shown", "of those, the slow or asynchronous ones that turned it off for a "
                        "while: timing"),
    "finish_inline": ("shown", "ends finished where the command ran: the hand-offs they save are "
                      "not in handoffs"),
    "poll_passes": ("uncosted", "timing: how often the poller looks depends on both sides' speed "
                    "under TCG; on a board it spins on a core of its own"),
    "poll_passes_fetched": ("uncosted", "timing (commands per fetching pass)"),
    "poll_sleeps": ("uncosted", "timing: idle sleeps of the poller"),
    "poll_sleep_us": ("uncosted", "timing"),
    "poll_wakeups_work": ("uncosted", "commands that waited for the poller to wake: latency the "
                          "model does not have (it assumes an awake poller)"),
    "poll_delays": ("uncosted", "timing: short busy waits"),
    "poll_kicks": ("uncosted", "timing"),
    "cc_polls": ("uncosted", "the register poll, every cc_poll_ms: time-driven, not per I/O"),
    "allocs": ("uncosted", "inside cmd_fixed (an estimate both drivers share in kind), not per "
               "allocation"),
    "alloc_bytes": ("uncosted", "as allocs"),
    "alloc_zeroed_bytes": ("uncosted", "as allocs (zeroing 4 KiB: ~0.15 us, inside cmd_fixed)"),
    "alloc_vmalloc": ("shown", "a vmalloc'ed buffer shows as one DMA descriptor per page, costed "
                      "as descriptors"),
    "buf_hits": ("uncosted", "a kept buffer taken from the pool: a spinlock and a pointer, "
                 "inside cmd_fixed"),
    "buf_misses": ("uncosted", "as allocs (each is one)"),
    "buf_waits": ("uncosted", "backpressure from the buffer budget: commands left in the host's "
                  "SQ, a limit on concurrency rather than work per I/O"),
    "bar_db_loads": ("uncosted", "uncached doorbell loads: per poll pass, so timing under TCG; a "
                     "fetching pass's loads are inside cmd_fixed"),
    "bar_reg_loads": ("uncosted", "the register poll's loads: time-driven"),
    "sqe_host_reads": ("shown", "SQE batches read from host memory: their DMA descriptors are in "
                       "dma_rx_descs (or their loads in win_read_loads), costed there"),
    "sqes_host": ("shown", "SQEs those reads brought"),
    "sqes_cmb": ("uncosted", "SQEs copied from the CMB in the function's own BAR memory: a local "
                 "read of 64 B, far below the model's unit costs"),
}


def ledger_usage(ledger):
    """Rows (counter, {job: per I/O}, kind, how) for every counter of a
    driver's ledger {job: {counter: per I/O}}, unknown ones included."""
    names = sorted({k for jc in ledger.values() for k in jc},
                   key=lambda k: (list(LEDGER_USE).index(k) if k in LEDGER_USE else len(LEDGER_USE), k))
    return [(k, {j: jc.get(k) for j, jc in ledger.items()},
             *LEDGER_USE.get(k, ("uncosted", "not known to project.py: a new counter, add it to "
                                 "LEDGER_USE with its cost or why it has none")))
            for k in names]


# The ledger's DMA waits (dma.c since the batches of issue 14): count key
# -> counter.  A ledger with none of them comes from code that waited per
# descriptor, with the channel held: they stay None and the model says so.
LEDGER_WAITS = {
    "dma_read_waits": "dma_rx_waits",
    "dma_write_waits": "dma_tx_waits",
    "dma_waits_held": "dma_waits_held",
}


def _fill_from_ledger(c, ledger, ios):
    notes = []
    if any(name in ledger for name in LEDGER_WAITS.values()):
        for key, name in LEDGER_WAITS.items():
            c[key] = ledger.get(name, 0) / ios
            c["from_ledger"][key] = name
    # I/Os the poller ran itself: a record lists it only when it moved
    if "exec_poller" in ledger:
        c["exec_poller"] = ledger["exec_poller"] / ios
        c["from_ledger"]["exec_poller"] = "exec_poller"
    for key, name in LEDGER_FILLS.items():
        # a record lists the counters that moved (bench_kv_delta); a known
        # counter missing from it stayed at 0
        if c.get(key) is None and (name in ledger or "cmds_io" in ledger):
            c[key] = ledger.get(name, 0) / ios
            c["from_ledger"][key] = name
    if c.get("np_loads_poller") is None and c.get("np_loads") == 0:
        c["np_loads_poller"] = 0.0
        c["from_ledger"]["np_loads_poller"] = "win_read_loads"
    if c.get("ioremaps_poller") is None and c.get("ioremaps") == 0:
        c["ioremaps_poller"] = 0.0
        c["from_ledger"]["ioremaps_poller"] = "ioremaps"
    for name, key in LEDGER_CHECKS.items():
        if c.get(key) is None:
            continue
        mine = ledger.get(name, 0) / ios
        if abs(mine - c[key]) > 1e-9 + 0.01 * max(abs(mine), abs(c[key])):
            notes.append("ledger %s %.3g per I/O, the EPC saw %.3g (%s)" % (name, mine, c[key], key))
    return notes


# ----------------------------------------------------------------- model

def load_soc(path):
    with open(path) as f:
        soc = json.load(f)
    soc["path"] = path
    return soc


def units_of(soc, k=1.0, fit=None, override=None):
    """Unit costs in us with estimate-kind units scaled by k; fit: values of
    the 'calibrate: fit' units; override: {unit: value} (sensitivity)."""
    u = {}
    for name, d in soc["units"].items():
        val = d["value"]
        if fit and name in fit:
            val = fit[name]
        elif d["kind"] == "estimate" and d.get("scale", True):
            val *= k
        u[name] = val
    for name, d in soc["fixed"].items():
        u[name] = d["value"]
    if override:
        u.update(override)
    return u


def _n(c, key):
    val = c.get(key)
    return 0.0 if val is None else val


# The counts model() reads; those n/a in a run are taken as 0 and listed.
MODEL_KEYS = ("np_loads", "np_loads_poller", "cpu_write_bytes", "window_maps", "window_unmaps",
              "window_maps_poller", "ioremaps", "ioremaps_poller", "raise_irq", "get_msix",
              "get_features", "dma_read_desc", "dma_read_bytes", "dma_write_desc",
              "dma_write_bytes", "dma_irq_waits", "dma_desc_poller", "handoffs", "per_cq_work",
              "exec_poller")


def dma_batched(driver, c):
    """Do the counts say how many waits there were (the ledger's
    dma_*_waits, a driver that batches)?  Else one wait per descriptor."""
    return bool(DRIVERS[driver].get("dma_wait")) and any(
        c.get("dma_%s_waits" % d) is not None for d in ("read", "write"))


def dma_waits(driver, c, u, spin_us=None):
    """Per direction: (descriptors, waits, of which sleeping, wait in us
    per wait, waits that keep their channel).  A driver whose waiter
    polls first (DRIVERS dma_wait) is modelled by its code's rule: a wait
    of descriptors of up to spin_max bytes (the mean of the direction)
    polls for spin_us; a polled wait costs dma_spin_wait (the same unit
    as the in-tree driver's dma_sync_wait: both wait for the eDMA's
    interrupt path without sleeping) if that fits in spin_us, else
    spin_us and then a sleeping wait (dma_irq_wait); longer ones sleep.
    With the ledger's waits (dma_batched) a wait is a batch: its bytes
    are the direction's mean per wait, and it polls only if their
    transfer fits in spin_us too; the share of waits that keep their
    channel is the ledger's dma_waits_held over all waits; without them
    each descriptor
    waits, by its length when the run has the lengths (dma_*_small), and
    holds its channel (the code before the batches held the channel's
    lock across every wait).  How the waits split under TCG (the
    ledger's dma_wait_spin/sleep) is timing and not used.  Other
    drivers: one wait per descriptor, held; those with a completion
    callback sleep, the others are polled (dma_sync_wait)."""
    pol = DRIVERS[driver].get("dma_wait")
    batched = dma_batched(driver, c)
    out = {}
    total = _n(c, "dma_read_desc") + _n(c, "dma_write_desc")
    all_waits = _n(c, "dma_read_waits") + _n(c, "dma_write_waits")
    held_share = min(1.0, _n(c, "dma_waits_held") / all_waits) if batched and all_waits else 1.0
    for d in ("read", "write"):
        n = _n(c, "dma_%s_desc" % d)
        if not n:
            out[d] = (0.0, 0.0, 0.0, 0.0, 0.0)
            continue
        if pol:
            w = (min(n, _n(c, "dma_%s_waits" % d)) or n) if batched else n
            lim = spin_us if spin_us is not None else c.get("dma_spin_us", pol["spin_us"])
            small = None if batched else c.get("dma_%s_small" % d)
            if small is None:
                small = w if _n(c, "dma_%s_bytes" % d) / n <= pol["spin_max"] else 0.0
            small = min(small, w) if lim > 0 else 0.0
            # a batch polls as long as its transfer and the turnaround fit
            # in spin_us; one descriptor of up to spin_max bytes always did
            move = _n(c, "dma_%s_bytes" % d) / w / (u["dma_%s_gbps" % d] * 1e3) if batched else 0.0
            if u["dma_spin_wait"] + move <= lim:
                polled, polled_sleep = u["dma_spin_wait"], 0.0
            else:
                polled, polled_sleep = lim + u["dma_irq_wait"], small
            sleep = w - small + polled_sleep
            out[d] = (n, w, sleep, (small * polled + (w - small) * u["dma_irq_wait"]) / w,
                      w * held_share)
        else:
            sleep = min(_n(c, "dma_irq_waits"), total) * n / total
            out[d] = (n, n, sleep, (sleep * u["dma_irq_wait"] + (n - sleep) * u["dma_spin_wait"]) / n,
                      n)
    return out


def model(driver, job, c, u, spin_us=None):
    """Modelled endpoint time, resource holds, ceilings and IOPS of one
    (driver, job) from its counts per I/O c and units u.  The polling
    budget of a driver's DMA waits is spin_us, else the run's module
    parameter (c["dma_spin_us"]), else the code's default."""
    drv = DRIVERS[driver]
    jp = job_props(job)
    waits = dma_waits(driver, c, u, spin_us)
    dma_desc = sum(w[0] for w in waits.values())
    sleeps = sum(w[2] for w in waits.values())
    wait_us = {d: w[3] for d, w in waits.items()}
    t = {
        "np_loads": _n(c, "np_loads") * u["np_load"],
        "cpu_writes": _n(c, "cpu_write_bytes") / 8 * u["posted_store"],
        "window_maps": _n(c, "window_maps") * u["window_map"] +
        _n(c, "window_unmaps") * u["window_unmap"],
        "ioremaps": _n(c, "ioremaps") * u["ioremap_pair"],
        "interrupts": _n(c, "raise_irq") * u["msi_raise"],
        "epc_queries": _n(c, "get_msix") * u["dbi_read"] +
        _n(c, "get_features") * u["get_features"],
        "dma_setup": dma_desc * u["dma_setup"],
        "dma_wait": sum(w[1] * w[3] for w in waits.values()),
        "dma_transfer": _n(c, "dma_read_bytes") / (u["dma_read_gbps"] * 1e3) +
        _n(c, "dma_write_bytes") / (u["dma_write_gbps"] * 1e3),
        "handoffs": _n(c, "handoffs") * u["wakeup"],
        "command": u["cmd_fixed"],
    }
    ep = sum(t.values())
    latency = u["host_qd1"] + ep

    holds = {}
    holds["poller"] = (_n(c, "np_loads_poller") * u["np_load"] +
                       _n(c, "window_maps_poller") * (u["window_map"] + u["window_unmap"]) +
                       _n(c, "ioremaps_poller") * u["ioremap_pair"] +
                       _poller_dma(c, wait_us, u) + u["cmd_fixed"] / 3)
    # an I/O the poller runs itself holds it for all of its endpoint time,
    # DMA transfers and sleeping waits included (it fetches nothing
    # meanwhile); its own part is in the counts above already
    share = min(1.0, _n(c, "exec_poller"))
    holds["poller"] += share * max(0.0, ep - holds["poller"])
    holds["epc_lock"] = t["window_maps"] + t["interrupts"] + t["epc_queries"]
    for d in ("read", "write"):
        nd, nw, _, wt, held = waits[d]
        chans = max(1, min(c.get("dma_%s_chans" % d) or 1, u["dma_channels_%s" % d]))
        # a wait that keeps the channel costs it the whole wait; one that
        # lets other batches queue behind it, the completion's turnaround
        holds["dma_" + d] = (nd * u["dma_setup"] + held * wt +
                             (nw - held) * min(wt, u["dma_spin_wait"]) +
                             _n(c, "dma_%s_bytes" % d) / (u["dma_%s_gbps" % d] * 1e3)) / chans
    holds["windows"] = ((t["window_maps"] + t["ioremaps"] + t["np_loads"] + t["cpu_writes"]) /
                        max(1, min(drv["windows"], u["outbound_windows"])))
    if drv["per_cq_funcs"]:
        holds["per_cq"] = (_n(c, "per_cq_work") * u["wakeup"] + t["interrupts"] +
                           t["cpu_writes"]) / jp["jobs"]
    else:
        holds["per_cq"] = 0.0
    # a sleeping wait frees its CPU (a polled one before it does not)
    slept = sum(w[2] * u["dma_irq_wait"] for w in waits.values())
    holds["cpus"] = (ep - t["dma_transfer"] - slept) / u["ep_cpus"]
    holds["link"] = jp["bs"] / (u["link_gbps"] * 1e3)
    holds["host"] = u["host_cpu"] / jp["jobs"]
    ceilings = {r: (1e6 / h if h > 0 else math.inf) for r, h in holds.items()}
    qd_bound = jp["qd"] * jp["jobs"] / latency * 1e6
    binding = min(ceilings, key=ceilings.get)
    iops = min(qd_bound, ceilings[binding])
    if qd_bound <= ceilings[binding]:
        binding = "latency (QD %d)" % (jp["qd"] * jp["jobs"])
    return {"ep_us": ep, "latency_us": latency, "terms_us": t, "holds_us": holds,
            "ceilings": ceilings, "qd_bound": qd_bound, "iops": iops,
            "MBps": iops * jp["bs"] / 1e6, "binding": binding,
            "dma_sleeps": sleeps, "dma_descs": dma_desc, "dma_wait_us": wait_us,
            "dma_waits": {d: w[1] for d, w in waits.items()},
            "dma_waits_held": {d: w[4] for d, w in waits.items()},
            "dma_batched": dma_batched(driver, c),
            "spin_us": spin_us if spin_us is not None else c.get("dma_spin_us"),
            "assumed_zero": [k for k in MODEL_KEYS if k in c and c[k] is None]}


def _poller_dma(c, wait_us, u):
    """The poller's DMA descriptors with their waits (by direction when
    the run has the split, else at the read direction's wait: a poller
    reads SQEs)."""
    r, w = c.get("dma_read_desc_poller"), c.get("dma_write_desc_poller")
    if r is not None and w is not None:
        return r * (u["dma_setup"] + wait_us["read"]) + w * (u["dma_setup"] + wait_us["write"])
    n = _n(c, "dma_desc_poller")
    wt = wait_us["read"] if _n(c, "dma_read_desc") else wait_us["write"]
    return n * (u["dma_setup"] + wt)


def anchor_errors(soc, counts, u):
    """{job: (modelled, published, error %)} for the in-tree driver's
    published points (IOPS; MB/s where published)."""
    a = soc["anchors"]
    out = {}
    for job, p in a["points"].items():
        if job not in counts.get(a["driver"], {}):
            continue
        m = model(a["driver"], job, counts[a["driver"]][job], u)
        if "MBps" in p:
            out[job] = (m["MBps"], p["MBps"], (m["MBps"] / p["MBps"] - 1) * 100, "MB/s")
        else:
            out[job] = (m["iops"], p["iops"], (m["iops"] / p["iops"] - 1) * 100, "IOPS")
    return out


def calibrate(soc, counts):
    """Fit k (scale of estimate units) and the 'calibrate: fit' units so
    the anchor driver's counts reproduce the published points: minimise
    the largest |log(model / published)| over a grid.  Returns
    (params, units, errors) or (None, units at k=1, {}) without counts."""
    a = soc["anchors"]
    if not any(j in counts.get(a["driver"], {}) for j in a["points"]):
        return None, units_of(soc), {}
    fit_names = [n for n, d in soc["units"].items() if d.get("calibrate") == "fit"]
    klo, khi = soc["calibrate"]["k_estimate"]

    def grid(lo, hi, n):
        return [lo * (hi / lo) ** (i / (n - 1)) for i in range(n)]

    def score(k, fit):
        u = units_of(soc, k, fit)
        errs = anchor_errors(soc, counts, u)
        return max(abs(math.log(m / p)) for m, p, _, _ in errs.values()), u, errs

    best = None
    ks = grid(klo, khi, 36)
    axes = [grid(*soc["units"][n]["range"], 24) for n in fit_names]

    def walk(i, fit):
        nonlocal best
        if i == len(fit_names):
            for k in ks:
                s, u, errs = score(k, fit)
                if best is None or s < best[0]:
                    best = (s, dict(fit, k_estimate=k), u, errs)
            return
        for val in axes[i]:
            walk(i + 1, dict(fit, **{fit_names[i]: val}))

    walk(0, {})
    # refine around the best point
    s, params, u, errs = best
    for _ in range(3):
        for name in ["k_estimate"] + fit_names:
            lo, hi = (klo, khi) if name == "k_estimate" else soc["units"][name]["range"]
            for f in (0.9, 0.95, 0.98, 1.02, 1.05, 1.1):
                trial = dict(params)
                trial[name] = min(hi, max(lo, params[name] * f))
                fit = {n: trial[n] for n in fit_names}
                s2, u2, e2 = score(trial["k_estimate"], fit)
                if s2 < s:
                    s, params, u, errs = s2, trial, u2, e2
    return params, u, errs


def project_all(soc, counts, params=None):
    """{driver: {job: model}} with the calibrated units (or k=1)."""
    if params is None:
        u = units_of(soc)
    else:
        fit = {n: params[n] for n in params if n != "k_estimate"}
        u = units_of(soc, params["k_estimate"], fit)
    return {d: {j: model(d, j, c, u) for j, c in jobs.items()}
            for d, jobs in counts.items() if d in DRIVERS}, u


# ---------------------------------------------------------------- output

def fmt(v, digits=2):
    if v is None:
        return "n/a"
    if isinstance(v, float) and math.isinf(v):
        return "-"
    if isinstance(v, (int, float)):
        if abs(v) >= 1000:
            return "%.0f" % v
        return ("%%.%df" % digits) % v
    return str(v)


def counts_table(counts, jobs=None):
    drivers = [d for d in DRIVERS if d in counts]
    jobs = jobs or [j for j in JOBS if any(j in counts[d] for d in drivers)]
    out = []
    for job in jobs:
        cols = [(d, counts[d].get(job)) for d in drivers if job in counts[d]]
        if not cols:
            continue
        out += ["", "**%s** (per I/O)" % job, "",
                "| count | " + " | ".join(DRIVERS[d]["title"] for d, _ in cols) + " |",
                "|---|" + "---|" * len(cols)]
        for key, what in COUNT_ROWS:
            out.append("| %s | %s |" % (what, " | ".join(
                fmt(c.get(key)) + (" (ledger)" if key in c.get("from_ledger", {}) else "")
                for _, c in cols)))
    if any(c.get("from_ledger") for d in drivers for c in counts[d].values()):
        out += ["", "(ledger): the kprobe that counts this for any driver could not be placed; "
                "the value is the driver's own cost ledger (docs/costs.md)."]
    return out


def projection_table(proj, soc, params, errors, u):
    out = ["", "Unit costs: `%s` (%s)." % (os.path.relpath(soc["path"]), soc["title"]), ""]
    if params:
        ps = ", ".join("%s = %.3g" % (k, v) for k, v in sorted(params.items()))
        worst = max(abs(e) for _, _, e, _ in errors.values())
        out += ["Calibration on the in-tree driver's published figures (%s): %s; "
                "largest error **%.0f%%**." % (soc["anchors"]["source"], ps, worst), "",
                "| anchor | published | modelled | error |", "|---|---|---|---|"]
        for job, (m, p, e, unit) in errors.items():
            out.append("| %s | %s %s | %s %s | %+.0f%% |" % (job, fmt(p), unit, fmt(m), unit, e))
    else:
        out += ["No calibration: the run has no counts of the in-tree driver "
                "(unit costs used as listed)."]
    out += ["", "| job | driver | endpoint µs/IO | QD1 latency µs | poller | EPC lock | "
            "DMA rd | DMA wr | windows | per-CQ | CPUs | link | host | modelled IOPS | "
            "MB/s | bound by |", "|" + "---|" * 16]
    for job in JOBS:
        for d in DRIVERS:
            m = proj.get(d, {}).get(job)
            if not m:
                continue
            ce = m["ceilings"]
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | "
                       "**%s** | %s | %s |" % (
                           job, DRIVERS[d]["title"], fmt(m["ep_us"], 1),
                           fmt(m["latency_us"], 1),
                           *[fmt(ce[r], 0) for r in RESOURCES],
                           fmt(m["iops"], 0), fmt(m["MBps"], 0), m["binding"]))
    out += ["", "Resource columns: the modelled ceiling in I/O per second of each "
            "serialized resource (`-`: not used)."]
    out += model_notes(proj)
    return out


def model_notes(proj):
    """How each (driver, job)'s DMA waits were modelled, and which counts
    the model read as 0 because the run could not count them."""
    out = ["", "DMA waits as modelled (µs per descriptor, read / write; sleeping waits per "
           "I/O), and counts that were n/a in this run and taken as 0:", ""]
    for job in JOBS:
        for d in DRIVERS:
            m = proj.get(d, {}).get(job)
            if not m:
                continue
            w = m["dma_wait_us"]
            out.append("- %s %s: wait %s / %s µs, %s sleeping per I/O%s" % (
                job, d, fmt(w["read"], 1), fmt(w["write"], 1), fmt(m["dma_sleeps"]),
                "; n/a taken as 0: " + ", ".join(m["assumed_zero"]) if m["assumed_zero"] else ""))
    pol = [d for d in DRIVERS if DRIVERS[d].get("dma_wait") and d in proj]
    for d in pol:
        p = DRIVERS[d]["dma_wait"]
        spins = sorted({m.get("spin_us") for m in proj[d].values()}, key=str)
        out += ["", "%s's waits follow its code: a descriptor of up to %d bytes (by each "
                "descriptor's length when the run has them, else the mean of its direction) is "
                "polled for dma_spin_us and costs dma_spin_wait if that fits, "
                "else dma_spin_us plus a sleeping wait (dma_irq_wait); longer ones sleep.  "
                "dma_spin_us: %s." % (d, p["spin_max"], ", ".join(
                    "%d (the run's module parameter)" % x if x is not None else
                    "not recorded by this run, the code's default %d assumed" % p["spin_us"]
                    for x in spins))]
    return out


def summary(proj, counts, jobs=("rr4k-qd1", "rr4k-qd32", "rr4k-qd32x4", "sr512k-qd32")):
    """The closing note's table: projected figures at the seed points
    and the counts per 4K read (QD1) behind them."""
    drivers = [d for d in DRIVERS if d in proj]
    out = ["| driver | " + " | ".join(jobs) + " |", "|---|" + "---|" * len(jobs)]
    for d in drivers:
        cells = []
        for j in jobs:
            m = proj[d].get(j)
            if not m:
                cells.append("n/a")
            elif JOBS[j][2] >= 128 * 1024:
                cells.append("%.2f GB/s (%s)" % (m["MBps"] / 1e3, m["binding"]))
            else:
                cells.append("%.1fk IOPS (%s)" % (m["iops"] / 1e3, m["binding"]))
        out.append("| %s | %s |" % (DRIVERS[d]["title"], " | ".join(cells)))
    keys = ("np_loads", "window_maps", "ioremaps", "epc_lock_ops", "raise_irq", "get_msix",
            "dma_read_desc", "dma_write_desc", "dma_desc_poller", "dma_irq_waits", "handoffs",
            "host_segs")
    qd1 = {d: counts.get(d, {}).get("rr4k-qd1") for d in drivers}
    if any(qd1.values()):
        out += ["", "Counts per 4K random read (QD1):", "",
                "| count | " + " | ".join(DRIVERS[d]["title"] for d in drivers) + " |",
                "|---|" + "---|" * len(drivers)]
        what = dict(COUNT_ROWS)
        for k in keys:
            out.append("| %s | %s |" % (what.get(k, k), " | ".join(
                fmt((qd1[d] or {}).get(k)) for d in drivers)))
        out += ["| modelled DMA wait µs (read / write) | %s |" % " | ".join(
            "%s / %s" % (fmt(proj[d]["rr4k-qd1"]["dma_wait_us"]["read"], 1),
                         fmt(proj[d]["rr4k-qd1"]["dma_wait_us"]["write"], 1))
            if "rr4k-qd1" in proj[d] else "n/a" for d in drivers)]
    return out


def sensitivity(soc, counts, params):
    """Projected IOPS with each 'sensitivity' unit at its other values."""
    out = []
    for name, d in soc["units"].items():
        for val in d.get("sensitivity", []):
            if val == d["value"]:
                continue
            fit = {n: params[n] for n in params if n != "k_estimate"} if params else None
            u = units_of(soc, params["k_estimate"] if params else 1.0, fit, {name: val})
            row = []
            for job in JOBS:
                for drv in DRIVERS:
                    c = counts.get(drv, {}).get(job)
                    if c:
                        row.append("%s %s %s" % (job, drv, fmt(model(drv, job, c, u)["iops"], 0)))
            if row:
                out.append("- %s = %g µs: %s" % (name, val, "; ".join(row)))
    return out


def units_table(soc, u):
    out = ["", "| unit | value used | listed | kind | source | reasoning |", "|---|---|---|---|---|---|"]
    for sect in ("units", "fixed"):
        for name, d in soc[sect].items():
            out.append("| %s | %s | %s | %s | %s | %s |" % (
                name, fmt(u[name], 3), fmt(d["value"], 3), d["kind"], d["source"],
                d["reasoning"].replace("|", "/")))
    out += ["", "Sources:", ""]
    out += ["- **%s**: %s" % (k, v) for k, v in soc["sources"].items()]
    return out


def load_counts(path):
    """(counts, ledger, notes) from a results .json (report.py's), a plain
    {driver: {job: counts}} JSON, a console log or .records.txt with
    NEPF-BENCH-* records, or a directory holding one (build/bench,
    build/vm/<suite>): the projection runs offline on any earlier run."""
    if os.path.isdir(path):
        for name in ("console.log", "records.txt"):
            if os.path.exists(os.path.join(path, name)):
                return load_counts(os.path.join(path, name))
        recs = sorted(f for f in os.listdir(path) if f.endswith(".records.txt"))
        if not recs:
            raise SystemExit("%s: no console.log or *.records.txt" % path)
        return load_counts(os.path.join(path, recs[-1]))
    if path.endswith(".json"):
        with open(path) as f:
            data = json.load(f)
        return data.get("counts", data), data.get("ledger", {}), data.get("count_notes", [])
    import report  # noqa: E402 (report imports this module)
    counts, notes, ledger = report.counts_of(report.parse_console(path)[5])
    return counts, ledger, notes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", nargs="?",
                    help="a results .json, a console log / .records.txt, or a directory with one")
    ap.add_argument("--counts", help="the same as SOURCE (older spelling)")
    ap.add_argument("--soc", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "costs", "rk3588.json"))
    ap.add_argument("--summary", action="store_true",
                    help="only the projected figures at the seed points and the counts per 4K read")
    a = ap.parse_args()
    src = a.source or a.counts
    if not src:
        ap.error("give a results .json, a console log or a directory")
    counts, ledger, notes = load_counts(src)
    if not counts:
        print("%s: no count runs" % src, file=sys.stderr)
        return 1
    soc = load_soc(a.soc)
    params, u, errors = calibrate(soc, counts)
    proj, u = project_all(soc, counts, params)
    worst = max((abs(e) for _, _, e, _ in errors.values()), default=None)
    head = ["Projection of %s onto %s; calibration: %s" % (
        src, soc["soc"], "none (no in-tree counts)" if worst is None else
        "largest error %.0f%% on the in-tree driver's published figures" % worst), ""]
    if a.summary:
        print("\n".join(head + summary(proj, counts)))
        return 0
    out = head + counts_table(counts) + projection_table(proj, soc, params, errors, u)
    out += [""] + sensitivity(soc, counts, params)
    for d, jobs in ledger.items():
        out += ["", "%s's own cost ledger (per I/O) and what the model does with each counter:" % d,
                ""] + ledger_table(jobs)
    if notes:
        out += ["", "Notes:", ""] + ["- %s" % n for n in notes]
    out += ["", "Closing-note summary:", ""] + summary(proj, counts)
    out += units_table(soc, u)
    print("\n".join(out))
    return 0


def ledger_table(jobs):
    js = [j for j in JOBS if j in jobs] + sorted(j for j in jobs if j not in JOBS)
    out = ["| counter | " + " | ".join(js) + " | in the model |", "|---|" + "---|" * (len(js) + 1)]
    for k, vals, kind, how in ledger_usage(jobs):
        out.append("| %s | %s | %s: %s |" % (k, " | ".join(fmt(vals.get(j)) for j in js),
                                              "**uncosted**" if kind == "uncosted" else kind, how))
    return out


if __name__ == "__main__":
    sys.exit(main())
