#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of bench/project.py (make check-bench): a hand-computed
projection, the calibration, and the counts derived from hist records."""
import copy
import json
import math
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import project  # noqa: E402


def unit(value, kind="measured", **kw):
    return dict(value=value, kind=kind, source="test", reasoning="test", **kw)


SOC = {
    "path": "test", "title": "test SoC", "sources": {"test": "hand-made"},
    "units": {
        "np_load": unit(1.0), "posted_store": unit(0.1), "window_map": unit(2.0),
        "window_unmap": unit(1.0), "ioremap_pair": unit(2.0), "msi_raise": unit(3.0),
        "dbi_read": unit(0.5), "get_features": unit(0.1), "dma_setup": unit(1.0),
        "dma_irq_wait": unit(10.0), "dma_spin_wait": unit(2.0), "wakeup": unit(5.0),
        "cmd_fixed": unit(3.0), "host_qd1": unit(10.0), "host_cpu": unit(4.0),
    },
    "fixed": {
        "link_gbps": unit(4.0), "dma_read_gbps": unit(2.0), "dma_write_gbps": unit(4.0),
        "dma_channels_read": unit(2), "dma_channels_write": unit(2),
        "outbound_windows": unit(8), "ep_cpus": unit(4.0),
    },
    "anchors": {"source": "test", "driver": "intree", "points": {}},
    "calibrate": {"k_estimate": [0.25, 4.0]},
}

# one 4K read of nvme_epf as the cost model's code walk describes it
EPF_QD1 = {
    "np_loads": 8, "np_loads_poller": 8, "cpu_write_bytes": 16, "window_maps": 2,
    "window_unmaps": 2, "window_maps_poller": 1, "ioremaps": 2, "ioremaps_poller": 1,
    "raise_irq": 1, "get_msix": 1, "get_features": 0, "dma_read_desc": 0,
    "dma_write_desc": 1, "dma_write_bytes": 4000, "dma_irq_waits": 1,
    "dma_desc_poller": 0, "dma_write_chans": 2, "handoffs": 2,
}


class HandComputed(unittest.TestCase):
    def test_nvme_epf_qd1(self):
        m = project.model("nvme_epf", "rr4k-qd1", EPF_QD1, project.units_of(SOC))
        # 8 loads + 16 B stored (0.2) + maps 2x2 + unmaps 2x1 + ioremaps 2x2
        # + 1 raise (3) + get_msix (0.5) + 1 descriptor setup (1) + its
        # wait, polled (4000 B <= 4096: dma_spin_wait 2 < dma_spin_us 20)
        # + 4000 B at 4000 B/us (1) + 2 hand-offs (10) + the command (3)
        # = 38.7 us; + 10 us of host = 48.7 us
        self.assertAlmostEqual(m["ep_us"], 38.7)
        self.assertAlmostEqual(m["latency_us"], 48.7)
        self.assertEqual(m["dma_sleeps"], 0)
        h = m["holds_us"]
        self.assertAlmostEqual(h["poller"], 8 + 3 + 2 + 1)       # loads, map+unmap, ioremap, cmd/3
        self.assertAlmostEqual(h["epc_lock"], 6 + 3 + 0.5)
        self.assertAlmostEqual(h["dma_write"], (1 + 2 + 1) / 2)  # two write channels used
        self.assertAlmostEqual(h["dma_read"], 0)
        self.assertAlmostEqual(h["windows"], (6 + 4 + 8 + 0.2) / 2)  # nvme_epf holds 2
        self.assertAlmostEqual(h["per_cq"], 0)
        self.assertAlmostEqual(h["cpus"], (38.7 - 1) / 4)       # a polled wait keeps its CPU
        self.assertAlmostEqual(h["link"], 4096 / 4000)
        self.assertAlmostEqual(h["host"], 4)
        # QD1: latency bound, 1e6 / 48.7
        self.assertEqual(m["binding"], "latency (QD 1)")
        self.assertAlmostEqual(m["iops"], 1e6 / 48.7)
        self.assertAlmostEqual(m["MBps"], 1e6 / 48.7 * 4096 / 1e6)

    def test_nvme_epf_wait_rule(self):
        u = project.units_of(SOC)
        # dma.c: a descriptor over 4096 bytes sleeps (dma_irq_wait 10)
        big = dict(EPF_QD1, dma_write_bytes=8192)
        m = project.model("nvme_epf", "rr4k-qd1", big, u)
        self.assertAlmostEqual(m["dma_wait_us"]["write"], 10)
        self.assertEqual(m["dma_sleeps"], 1)
        self.assertAlmostEqual(m["holds_us"]["cpus"], (m["ep_us"] - 8192 / 4000 - 10) / 4)
        # polled, but the wait outlasts dma_spin_us: spin 1 us, then sleep
        m = project.model("nvme_epf", "rr4k-qd1", dict(EPF_QD1, dma_spin_us=1), u)
        self.assertAlmostEqual(m["dma_wait_us"]["write"], 1 + 10)
        self.assertEqual(m["spin_us"], 1)
        # dma_spin_us 0: no polling at all
        m = project.model("nvme_epf", "rr4k-qd1", EPF_QD1, u, spin_us=0)
        self.assertAlmostEqual(m["dma_wait_us"]["write"], 10)
        # the in-tree driver: callbacks (none here) decide, whatever the size
        it = dict(EPF_QD1, dma_irq_waits=0, dma_write_bytes=65536)
        self.assertAlmostEqual(project.model("intree", "rr4k-qd1", it, u)["dma_wait_us"]["write"], 2)
        it["dma_irq_waits"] = 1
        self.assertAlmostEqual(project.model("intree", "rr4k-qd1", it, u)["dma_wait_us"]["write"], 10)

    def test_waits_by_descriptor_size(self):
        # 3 write descriptors per I/O, 1 of them <= 4 KiB: 1 polled, 2 sleep
        c = dict(EPF_QD1, dma_write_desc=3, dma_write_bytes=3 * 8192, dma_write_small=1)
        m = project.model("nvme_epf", "rr4k-qd1", c, project.units_of(SOC))
        self.assertAlmostEqual(m["dma_wait_us"]["write"], (2 + 2 * 10) / 3)
        self.assertAlmostEqual(m["dma_sleeps"], 2)
        # the polled one outlasts dma_spin_us 1: it sleeps as well
        m = project.model("nvme_epf", "rr4k-qd1", dict(c, dma_spin_us=1), project.units_of(SOC))
        self.assertAlmostEqual(m["dma_wait_us"]["write"], ((1 + 10) + 2 * 10) / 3)
        self.assertAlmostEqual(m["dma_sleeps"], 3)

    def test_waits_per_direction(self):
        # the SQE read (64 B) is polled, a 64 KiB write sleeps; the poller's
        # read descriptor is held at the read wait
        c = dict(EPF_QD1, np_loads=0, np_loads_poller=0, dma_read_desc=1, dma_read_bytes=64,
                 dma_write_bytes=65536, dma_irq_waits=2, dma_read_desc_poller=1,
                 dma_write_desc_poller=0, window_maps_poller=0, ioremaps_poller=0)
        m = project.model("nvme_epf", "rr4k-qd1", c, project.units_of(SOC))
        self.assertAlmostEqual(m["dma_wait_us"]["read"], 2)
        self.assertAlmostEqual(m["dma_wait_us"]["write"], 10)
        self.assertAlmostEqual(m["terms_us"]["dma_wait"], 12)
        self.assertAlmostEqual(m["holds_us"]["poller"], 1 + 2 + 1)  # setup + wait + cmd/3

    def test_batched_waits(self):
        u = project.units_of(SOC)
        # dma.c since the batches: 8 write descriptors of 4000 B, one wait
        # (the ledger's dma_tx_waits): 32000 B take 8 us, and with the
        # turnaround (2) that fits in dma_spin_us 20: polled
        c = dict(EPF_QD1, dma_write_desc=8, dma_write_bytes=32000, dma_read_waits=0,
                 dma_write_waits=1, dma_waits_held=0)
        m = project.model("nvme_epf", "rr4k-qd1", c, u)
        self.assertTrue(m["dma_batched"])
        self.assertAlmostEqual(m["dma_waits"]["write"], 1)
        self.assertAlmostEqual(m["dma_wait_us"]["write"], 2)
        self.assertAlmostEqual(m["terms_us"]["dma_setup"], 8)
        self.assertAlmostEqual(m["terms_us"]["dma_wait"], 2)     # once, not 8 times
        # the channel: 8 setups + the turnaround of the one wait + 8 us of
        # data, over the 2 channels used
        self.assertAlmostEqual(m["holds_us"]["dma_write"], (8 + 2 + 8) / 2)
        # the same 32000 B in 8 waits of its own each (the ledger before
        # the batches has no dma_*_waits): 8 polled waits, each held
        old = dict(EPF_QD1, dma_write_desc=8, dma_write_bytes=32000)
        m = project.model("nvme_epf", "rr4k-qd1", old, u)
        self.assertFalse(m["dma_batched"])
        self.assertAlmostEqual(m["terms_us"]["dma_wait"], 8 * 2)
        self.assertAlmostEqual(m["holds_us"]["dma_write"], (8 * (1 + 2) + 8) / 2)

    def test_batched_wait_sleeps_when_the_transfer_outlasts_the_spin(self):
        u = project.units_of(SOC)
        # 16 descriptors of 4000 B: 64000 B take 16 us; + 2 > dma_spin_us
        # 10: spin 10 us, then sleep (10)
        c = dict(EPF_QD1, dma_write_desc=16, dma_write_bytes=64000, dma_read_waits=0,
                 dma_write_waits=1, dma_waits_held=0, dma_spin_us=10)
        m = project.model("nvme_epf", "rr4k-qd1", c, u)
        self.assertAlmostEqual(m["dma_wait_us"]["write"], 10 + 10)
        self.assertAlmostEqual(m["dma_sleeps"], 1)
        # big descriptors (64 KiB each) sleep at once, whatever the spin
        c = dict(c, dma_write_desc=2, dma_write_bytes=131072, dma_spin_us=20)
        m = project.model("nvme_epf", "rr4k-qd1", c, u)
        self.assertAlmostEqual(m["dma_wait_us"]["write"], 10)

    def test_held_wait_costs_the_channel(self):
        u = project.units_of(SOC)
        # our eDMA: the channel stays the waiter's through its sleeping wait
        c = dict(EPF_QD1, dma_write_desc=2, dma_write_bytes=131072, dma_read_waits=0,
                 dma_write_waits=1, dma_waits_held=1)
        m = project.model("nvme_epf", "rr4k-qd1", c, u)
        self.assertAlmostEqual(m["dma_waits_held"]["write"], 1)
        self.assertAlmostEqual(m["holds_us"]["dma_write"], (2 + 10 + 131072 / 4000) / 2)
        # dmaengine: other batches queue meanwhile, the channel pays only
        # the turnaround (dma_spin_wait 2) of the wait
        m = project.model("nvme_epf", "rr4k-qd1", dict(c, dma_waits_held=0), u)
        self.assertAlmostEqual(m["holds_us"]["dma_write"], (2 + 2 + 131072 / 4000) / 2)
        # the latency pays the whole wait either way
        self.assertAlmostEqual(m["terms_us"]["dma_wait"], 10)
        # held waits are shared over both directions by their number
        c2 = dict(c, dma_read_desc=1, dma_read_bytes=64, dma_read_waits=1, dma_waits_held=1)
        m = project.model("nvme_epf", "rr4k-qd1", c2, u)
        self.assertAlmostEqual(m["dma_waits_held"]["write"], 0.5)
        self.assertAlmostEqual(m["dma_waits_held"]["read"], 0.5)

    def test_qd32_bound_by_poller(self):
        m = project.model("nvme_epf", "rr4k-qd32", EPF_QD1, project.units_of(SOC))
        # 32 / 56.7 us = 564k; the poller's 14 us allow 71.4k
        self.assertEqual(m["binding"], "poller")
        self.assertAlmostEqual(m["iops"], 1e6 / 14)

    def test_exec_poller_holds_the_poller(self):
        u = project.units_of(SOC)
        # the poller ran every I/O itself: no hand-off (38.7 - 2 x 5), and
        # it is held for all of that endpoint time
        c = dict(EPF_QD1, handoffs=0, exec_poller=1.0)
        m = project.model("nvme_epf", "rr4k-qd1", c, u)
        self.assertAlmostEqual(m["ep_us"], 28.7)
        self.assertAlmostEqual(m["holds_us"]["poller"], 28.7)
        self.assertEqual(m["binding"], "latency (QD 1)")
        # half of them (one hand-off left): half of the rest beyond its own 14 us
        m = project.model("nvme_epf", "rr4k-qd32", dict(c, handoffs=1, exec_poller=0.5), u)
        self.assertAlmostEqual(m["holds_us"]["poller"], 14 + 0.5 * (33.7 - 14))
        self.assertAlmostEqual(m["iops"], 1e6 / (14 + 0.5 * (33.7 - 14)))
        # none: the poller's own part only
        m = project.model("nvme_epf", "rr4k-qd32", dict(EPF_QD1, exec_poller=0), u)
        self.assertAlmostEqual(m["holds_us"]["poller"], 14)

    def test_k_scales_estimates_only(self):
        soc = copy.deepcopy(SOC)
        soc["units"]["wakeup"]["kind"] = "estimate"
        soc["units"]["host_qd1"].update(kind="estimate", scale=False)
        u = project.units_of(soc, k=2.0)
        self.assertEqual(u["wakeup"], 10.0)
        self.assertEqual(u["host_qd1"], 10.0)
        self.assertEqual(u["np_load"], 1.0)
        m = project.model("nvme_epf", "rr4k-qd1", EPF_QD1, u)
        self.assertAlmostEqual(m["ep_us"], 38.7 + 10)

    def test_per_cq_divides_by_jobs(self):
        c = dict(EPF_QD1, per_cq_work=1.0, np_loads=0, np_loads_poller=0,
                 window_maps=0, window_unmaps=0, window_maps_poller=0, ioremaps=0,
                 ioremaps_poller=0, cpu_write_bytes=16)
        u = project.units_of(SOC)
        one = project.model("intree", "rr4k-qd32", c, u)["holds_us"]["per_cq"]
        four = project.model("intree", "rr4k-qd32x4", c, u)["holds_us"]["per_cq"]
        self.assertAlmostEqual(one, 5 + 3 + 0.2)
        self.assertAlmostEqual(four, one / 4)

    def test_missing_count_is_zero_in_model_na_in_table(self):
        c = dict(EPF_QD1, np_loads=None, np_loads_poller=None)
        m = project.model("nvme_epf", "rr4k-qd1", c, project.units_of(SOC))
        self.assertAlmostEqual(m["ep_us"], 38.7 - 8)
        self.assertEqual(m["assumed_zero"], ["np_loads", "np_loads_poller"])
        table = "\n".join(project.counts_table({"nvme_epf": {"rr4k-qd1": c}}))
        self.assertIn("| n/a |", table)
        notes = "\n".join(project.model_notes({"nvme_epf": {"rr4k-qd1": m}}))
        self.assertIn("n/a taken as 0: np_loads, np_loads_poller", notes)


class Calibration(unittest.TestCase):
    def test_recovers_known_parameters(self):
        soc = copy.deepcopy(SOC)
        for n in ("wakeup", "cmd_fixed", "msi_raise", "dma_setup"):
            soc["units"][n]["kind"] = "estimate"
        soc["units"]["dma_spin_wait"].update(kind="estimate", calibrate="fit", range=[0.5, 20])
        intree = dict(EPF_QD1, np_loads=0, np_loads_poller=0, window_maps=0,
                      window_unmaps=0, window_maps_poller=0, ioremaps=0, ioremaps_poller=0,
                      get_msix=0, dma_read_desc=1, dma_read_bytes=64, dma_desc_poller=1,
                      dma_irq_waits=0, per_cq_work=1, handoffs=2)
        counts = {"intree": {j: intree for j in ("rr4k-qd1", "rr4k-qd32", "rr4k-qd32x4")}}
        truth = project.units_of(soc, 1.5, {"dma_spin_wait": 6.0})
        soc["anchors"]["points"] = {
            j: {"iops": project.model("intree", j, intree, truth)["iops"]}
            for j in counts["intree"]}
        params, _, errors = project.calibrate(soc, counts)
        self.assertLess(max(abs(e) for _, _, e, _ in errors.values()), 1.0)
        self.assertAlmostEqual(params["k_estimate"], 1.5, delta=0.1)

    def test_without_anchor_counts(self):
        params, u, errors = project.calibrate(SOC, {"nvme_epf": {"rr4k-qd1": EPF_QD1}})
        self.assertIsNone(params)
        self.assertEqual(errors, {})


class Counts(unittest.TestCase):
    HIST = {
        "fromio": [
            "{ common_pid: nvme_epf/nepf0 [ 812], len: 64 } hitcount: 100",
            "{ common_pid: kworker/u8:3 [ 90], len: 504 } hitcount: 2",
        ],
        "toio": ["{ common_pid: kworker/u8:3 [ 90], len: 16 } hitcount: 100"],
        "memalloc": ["{ common_pid: nvme_epf/nepf0 [ 812] } hitcount: 100 len: 6400",
                     "{ common_pid: kworker/u8:3 [ 90] } hitcount: 100 len: 1600"],
        "map": ["{ common_pid: nvme_epf/nepf0 [ 812] } hitcount: 100 len: 409600",
                "{ common_pid: kworker/u8:3 [ 90] } hitcount: 100 len: 409600"],
        "dmaprep": ["{ common_pid: kworker/u8:3 [ 90], dir: 1 } hitcount: 100"],
        "getmsix": [
            "{ common_stacktrace: pci_epc_get_msix+0x0/0x90 nepf_irq_refresh+0x2c/0x90 [nvme_epf] "
            "nepf_cc_work_fn+0x60/0x1c0 [nvme_epf] process_one_work+0x150/0x2a0 } hitcount: 90",
            "{ common_stacktrace: pci_epc_get_msix+0x0/0x90 nepf_irq_refresh+0x2c/0x90 [nvme_epf] "
            "nepf_irq_raise+0x80/0x200 [nvme_epf] } hitcount: 10"],
        "workqueue_execute_start": [
            "{ common_pid: kworker/u8:3 [ 90], function: [ffff80007b2c1234] nepf_cmd_work_fn [nvme_epf] } hitcount: 200",
            "{ common_pid: kworker/0:1 [ 12], function: [ffff80007b2c9999] nepf_cc_work_fn [nvme_epf] } hitcount: 7",
            "{ common_pid: kworker/u8:5 [ 95], function: [ffff800080001234] vepc_dma_work [vepc] } hitcount: 100",
        ],
    }
    VEPC = {"op_map_addr": 200, "op_unmap_addr": 200, "window_map_bytes": 819200,
            "op_raise_msix": 100, "irq_msix": 100, "op_get_msix": 100, "dma_write_desc": 100,
            "dma_write_bytes": 409600, "dma_callbacks": 100, "dma_ch2_write_desc": 60,
            "dma_ch3_write_desc": 40, "host_map_segs": 100}

    def test_nvme_epf(self):
        hists = {ev: [project.parse_hist_line(ln) for ln in lines]
                 for ev, lines in self.HIST.items()}
        c, notes = project.derive_counts("nvme_epf", 100, self.VEPC, hists)
        self.assertAlmostEqual(c["np_loads"], (100 * 8 + 2 * 63) / 100)
        self.assertAlmostEqual(c["np_loads_poller"], 8)
        self.assertAlmostEqual(c["cpu_write_bytes"], 16)
        self.assertAlmostEqual(c["ioremaps"], 2)
        self.assertAlmostEqual(c["ioremaps_poller"], 1)
        self.assertAlmostEqual(c["window_maps"], 2)
        self.assertAlmostEqual(c["window_maps_poller"], 1)
        self.assertAlmostEqual(c["epc_lock_ops"], 2 + 2 + 1 + 0.1)
        self.assertAlmostEqual(c["get_msix"], 0.1)             # the register poll's 90 left out
        self.assertAlmostEqual(c["get_msix_background"], 0.9)
        self.assertAlmostEqual(c["handoffs"], 2)          # cc_work and vepc's work excluded
        self.assertEqual(c["dma_write_chans"], 2)
        self.assertAlmostEqual(c["dma_irq_waits"], 1)
        self.assertAlmostEqual(c["dma_desc_poller"], 0)
        self.assertAlmostEqual(c["host_segs"], 1)
        self.assertEqual(notes, [])

    def hists(self, drop=()):
        return {ev: [project.parse_hist_line(ln) for ln in lines]
                for ev, lines in self.HIST.items() if ev not in drop}

    def test_dma_lengths_checked_against_the_epc(self):
        rows = [project.parse_hist_line(ln) for ln in (
            "{ dir: 1, len24: 4096, len12: 0 } hitcount: 60",
            "{ dir: 1, len24: 8192, len12: 0 } hitcount: 20",
            "{ dir: 2, len24: 64, len12: 0 } hitcount: 100")]
        vepc = dict(self.VEPC, dma_write_desc=80, dma_write_bytes=60 * 4096 + 20 * 8192,
                    dma_read_desc=100, dma_read_bytes=6400)
        c, notes = project.derive_counts("nvme_epf", 100, vepc, dict(self.hists(),
                                                                    dmalen=rows))
        self.assertAlmostEqual(c["dma_write_small"], 0.6)
        self.assertAlmostEqual(c["dma_read_small"], 1.0)
        self.assertFalse(any("DMA lengths" in n for n in notes))
        # lengths that do not add up to what the EPC saw are not used
        c, notes = project.derive_counts("nvme_epf", 100, dict(vepc, dma_write_bytes=1),
                                         dict(self.hists(), dmalen=rows))
        self.assertNotIn("dma_write_small", c)
        self.assertTrue(any("DMA lengths" in n for n in notes))

    def test_msi_calls_outside_the_hist_window_are_background(self):
        # the EPC's snapshots span more time than the armed hist: its extra
        # calls are the register poll's (7 Dec run: 0.42 per I/O taken as
        # the I/O path's when every hist row was cc_work's)
        c, notes = project.derive_counts("nvme_epf", 100, dict(self.VEPC, op_get_msix=130),
                                         self.hists())
        self.assertAlmostEqual(c["get_msix"], 0.1)
        self.assertAlmostEqual(c["get_msix_background"], 1.2)
        rows = [project.parse_hist_line(self.HIST["getmsix"][0])]
        c, notes = project.derive_counts("nvme_epf", 100, dict(self.VEPC, op_get_msix=130),
                                         dict(self.hists(), getmsix=rows))
        self.assertAlmostEqual(c["get_msix"], 0)

    def test_io_path_msi_calls_from_ledger(self):
        ledger = {"cmds_io": 100, "cc_polls": 70, "epc_get_msix": 70, "epc_get_msi_io": 0}
        c, notes = project.derive_counts("nvme_epf", 100, self.VEPC, self.hists(("getmsix",)),
                                         ledger)
        self.assertAlmostEqual(c["get_msix"], 0)
        self.assertAlmostEqual(c["get_msix_background"], 1)
        self.assertTrue(any("epc_get_msi_io" in n for n in notes))

    def test_background_from_ledger_without_stacks(self):
        c, notes = project.derive_counts("nvme_epf", 100, self.VEPC, self.hists(("getmsix",)),
                                         {"cmds_io": 100, "cc_polls": 70, "epc_get_msix": 70})
        self.assertAlmostEqual(c["get_msix"], 0.3)
        self.assertTrue(any("cc_polls 70" in n for n in notes))
        c, notes = project.derive_counts("nvme_epf", 100, self.VEPC, self.hists(("getmsix",)))
        self.assertAlmostEqual(c["get_msix"], 1)              # cannot tell: all per I/O, said so
        self.assertIsNone(c["get_msix_background"])
        self.assertTrue(any("could not be told apart" in n for n in notes))

    def test_ledger_fills_missing_probes(self):
        ledger = {"cmds_io": 100, "win_write_ops": 100, "win_write_bytes": 1600, "ioremaps": 0,
                  "dma_tx_descs": 100, "dma_tx_bytes": 409600, "epc_raise_irq": 100,
                  "win_maps": 200, "win_unmaps": 200, "handoffs": 200}
        c, notes = project.derive_counts("nvme_epf", 100, self.VEPC,
                                         self.hists(("fromio", "toio")), ledger)
        # win_read_loads did not move: absent from the record, so 0
        self.assertEqual(c["np_loads"], 0)
        self.assertEqual(c["np_loads_poller"], 0)
        self.assertAlmostEqual(c["cpu_write_bytes"], 16)
        self.assertEqual(sorted(c["from_ledger"]),
                         ["cpu_write_bytes", "cpu_write_ops", "np_loads", "np_loads_poller",
                          "np_read_bytes"])
        self.assertAlmostEqual(c["ioremaps"], 2)               # the kprobe's count stays
        self.assertFalse(any("ledger" in n and "EPC saw" in n for n in notes))
        table = "\n".join(project.counts_table({"nvme_epf": {"rr4k-qd1": c}}))
        self.assertIn("0.00 (ledger)", table)
        # a ledger that disagrees with the EPC is reported
        _, notes = project.derive_counts("nvme_epf", 100, self.VEPC, self.hists(),
                                         dict(ledger, dma_tx_descs=150))
        self.assertTrue(any("dma_tx_descs 1.5 per I/O, the EPC saw 1" in n for n in notes))

    def test_ledger_exec_poller(self):
        ledger = {"cmds_io": 100, "handoffs": 0, "exec_poller": 100, "win_maps": 200,
                  "win_unmaps": 200, "dma_tx_descs": 100, "dma_tx_bytes": 409600,
                  "epc_raise_irq": 100}
        c, _ = project.derive_counts("nvme_epf", 100, self.VEPC, self.hists(), ledger)
        self.assertAlmostEqual(c["exec_poller"], 1)
        self.assertEqual(c["from_ledger"]["exec_poller"], "exec_poller")
        # a record without it (it did not move): not run by the poller
        del ledger["exec_poller"]
        c, _ = project.derive_counts("nvme_epf", 100, self.VEPC, self.hists(), ledger)
        self.assertNotIn("exec_poller", c)

    def test_ledger_waits(self):
        # dma.c's batches: the waits come from the ledger, a counter that
        # did not move (absent from the record) is 0
        ledger = {"cmds_io": 100, "dma_tx_descs": 100, "dma_tx_bytes": 409600,
                  "dma_rx_waits": 100, "dma_tx_waits": 100}
        c, _ = project.derive_counts("nvme_epf", 100, self.VEPC, self.hists(), ledger)
        self.assertAlmostEqual(c["dma_read_waits"], 1)
        self.assertAlmostEqual(c["dma_write_waits"], 1)
        self.assertEqual(c["dma_waits_held"], 0)
        self.assertEqual(c["from_ledger"]["dma_write_waits"], "dma_tx_waits")
        self.assertTrue(project.dma_batched("nvme_epf", c))
        # a ledger from before the batches has none: one wait per descriptor
        del ledger["dma_rx_waits"], ledger["dma_tx_waits"]
        c, _ = project.derive_counts("nvme_epf", 100, self.VEPC, self.hists(), ledger)
        self.assertIsNone(c.get("dma_write_waits"))
        self.assertFalse(project.dma_batched("nvme_epf", c))
        # the in-tree driver never batches, whatever the counts say
        self.assertFalse(project.dma_batched("intree", dict(c, dma_write_waits=1)))

    def test_missing_probe_is_na(self):
        hists = {ev: [project.parse_hist_line(ln) for ln in lines]
                 for ev, lines in self.HIST.items() if ev != "fromio"}
        c, notes = project.derive_counts("nvme_epf", 100, self.VEPC, hists)
        self.assertIsNone(c["np_loads"])
        self.assertTrue(any("memcpy_fromio" in n for n in notes))

    def test_inlined_map_calls_make_the_share_na(self):
        hists = {ev: [project.parse_hist_line(ln) for ln in lines]
                 for ev, lines in self.HIST.items()}
        c, notes = project.derive_counts("nvme_epf", 100, dict(self.VEPC, op_map_addr=300),
                                         hists)
        self.assertIsNone(c["window_maps_poller"])

    def test_intree_poller_from_stack(self):
        rows = [project.parse_hist_line(ln) for ln in (
            "{ common_stacktrace: vepc_prep_slave_sg+0x0/0x120 [vepc] "
            "nvmet_pci_epf_dma_transfer.isra.0+0x10c/0x2a0 [nvmet_pci_epf] "
            "nvmet_pci_epf_poll_sqs_work+0x80/0x200 [nvmet_pci_epf] "
            "process_one_work+0x150/0x2a0 , dir: 2 } hitcount: 10",
            "{ common_stacktrace: vepc_prep_slave_sg+0x0/0x120 [vepc] "
            "nvmet_pci_epf_exec_iod_work+0x80/0x200 [nvmet_pci_epf] , dir: 1 } hitcount: 10")]
        self.assertEqual(rows[0]["stack"][1], "nvmet_pci_epf_dma_transfer")
        self.assertEqual(rows[0]["dir"], 2)
        c, notes = project.derive_counts("intree", 10, {"dma_read_desc": 10,
                                                        "dma_write_desc": 10},
                                         {"dmaprep": rows})
        self.assertAlmostEqual(c["dma_desc_poller"], 1)
        self.assertFalse(any("poller not identified" in n for n in notes))

    def test_intree_poller_from_workqueue(self):
        hists = {
            "workqueue_execute_start": [project.parse_hist_line(ln) for ln in (
                "{ common_pid: kworker/2:1 [ 40], function: [ffff] nvmet_pci_epf_poll_sqs_work [nvmet_pci_epf] } hitcount: 3",
                "{ common_pid: kworker/u8:1 [ 41], function: [ffff] nvmet_pci_epf_exec_iod_work [nvmet_pci_epf] } hitcount: 10",
                "{ common_pid: kworker/1:1H [ 42], function: [ffff] nvmet_pci_epf_cq_work [nvmet_pci_epf] } hitcount: 9",
            )],
            "dmaprep": [project.parse_hist_line(ln) for ln in (
                "{ common_pid: kworker/2:1 [ 40], dir: 2 } hitcount: 10",
                "{ common_pid: kworker/u8:1 [ 41], dir: 1 } hitcount: 10",
            )],
        }
        c, _ = project.derive_counts("intree", 10, {"dma_read_desc": 10, "dma_write_desc": 10},
                                     hists)
        self.assertAlmostEqual(c["dma_desc_poller"], 1)
        self.assertAlmostEqual(c["handoffs"], 1.9)
        self.assertAlmostEqual(c["per_cq_work"], 0.9)


class Ledger(unittest.TestCase):
    def test_every_counter_of_the_module_has_a_use(self):
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "costs.h")
        with open(src) as f:
            names = set(re.findall(r'\] = "(\w+)"', f.read()))
        self.assertGreater(len(names), 40)
        self.assertEqual(sorted(names - set(project.LEDGER_USE)), [])
        self.assertEqual(sorted(set(project.LEDGER_USE) - names), [])

    def test_unknown_counter_is_reported_uncosted(self):
        rows = project.ledger_usage({"rr4k-qd1": {"cmds_io": 1.0, "brand_new": 3.0}})
        self.assertEqual([r[0] for r in rows], ["cmds_io", "brand_new"])
        self.assertEqual(rows[1][2], "uncosted")
        self.assertIn("not known to project.py", rows[1][3])
        self.assertIn("**uncosted**", "\n".join(project.ledger_table(
            {"rr4k-qd1": {"brand_new": 3.0}})))


class UnitTables(unittest.TestCase):
    KINDS = {"measured", "datasheet", "derived", "estimate"}

    def test_every_unit_has_a_kind_and_a_known_source(self):
        cdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "costs")
        tables = [f for f in os.listdir(cdir) if f.endswith(".json")]
        self.assertTrue(tables)
        for name in tables:
            soc = project.load_soc(os.path.join(cdir, name))
            for sect in ("units", "fixed"):
                for unit, d in soc[sect].items():
                    where = "%s %s" % (name, unit)
                    self.assertIn(d["kind"], self.KINDS, where)
                    self.assertIn(d["source"], soc["sources"], where)
                    self.assertGreater(len(d["reasoning"].strip()), 10, where)
            # every unit the model reads is in the table
            u = project.units_of(soc)
            m = project.model("nvme_epf", "rr4k-qd1", EPF_QD1, u)
            self.assertGreater(m["ep_us"], 0)
            self.assertIn(soc["anchors"]["source"], soc["sources"])


class Offline(unittest.TestCase):
    """The projection of a stored run's records (a sid smoke run with the
    SQE fetch by DMA and the ledger, 7 Dec 2026)."""
    DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata",
                        "smoke-console-sqedma.txt")

    def test_records(self):
        counts, ledger, notes = project.load_counts(self.DATA)
        epf = counts["nvme_epf"]["rr4k-qd1"]
        self.assertEqual(epf["np_loads"], 0)                   # the ledger's: kprobe refused
        self.assertEqual(epf["from_ledger"]["np_loads"], "win_read_loads")
        self.assertAlmostEqual(epf["dma_read_desc"], 1)        # the SQE, by DMA
        self.assertAlmostEqual(epf["dma_write_desc"], 1)
        self.assertAlmostEqual(epf["get_msix"], 0)             # all the register poll's
        self.assertIsNone(counts["intree"]["rr4k-qd1"]["np_loads"])
        self.assertAlmostEqual(ledger["nvme_epf"]["rr4k-qd1"]["cmds_io"], 1)
        soc = project.load_soc(os.path.join(os.path.dirname(self.DATA), "..", "costs",
                                            "rk3588.json"))
        params, u, errors = project.calibrate(soc, counts)
        self.assertEqual(sorted(errors), sorted(soc["anchors"]["points"]))
        proj, _ = project.project_all(soc, counts, params)
        m = proj["nvme_epf"]["rr4k-qd1"]
        self.assertEqual(m["dma_sleeps"], 0)                   # 64 B and 4 KiB: polled
        self.assertIn("np_loads", proj["intree"]["rr4k-qd1"]["assumed_zero"])
        text = "\n".join(project.summary(proj, counts))
        self.assertIn("| nvme_epf |", text)
        self.assertIn("Counts per 4K random read (QD1)", text)

    def test_directory_and_json(self):
        with tempfile.TemporaryDirectory() as d:
            shutil.copy(self.DATA, os.path.join(d, "run.records.txt"))
            counts, _, _ = project.load_counts(d)
            self.assertIn("intree", counts)
            with open(os.path.join(d, "r.json"), "w") as f:
                json.dump({"counts": counts, "ledger": {"nvme_epf": {}}}, f)
            self.assertEqual(sorted(project.load_counts(os.path.join(d, "r.json"))[0]),
                             ["intree", "nvme_epf"])


class Batches512k(unittest.TestCase):
    """The 2026-12-07 sid run (before the batches: 9.19 write descriptors
    per 512 KiB read, each waited for with its channel held), and the same
    counts with the waits the batched code counts instead (synthetic: one
    write wait per command, the reads' waits per descriptor): what the
    model makes of them on the RK3588 units, calibrated as in the run."""
    DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                        "2026-12-07-7.2.13+deb14-arm64.json")

    def project(self, held):
        counts, _, _ = project.load_counts(self.DATA)
        if held is not None:
            for jc in counts["nvme_epf"].values():
                jc["dma_read_waits"] = jc["dma_read_desc"]
                jc["dma_write_waits"] = min(jc["dma_write_desc"], 1.0)
                jc["dma_waits_held"] = held * (jc["dma_read_waits"] + jc["dma_write_waits"])
        soc = project.load_soc(os.path.join(os.path.dirname(self.DATA), "..", "costs",
                                            "rk3588.json"))
        params, _, _ = project.calibrate(soc, counts)
        proj, _ = project.project_all(soc, counts, params)
        return proj

    def test_512k(self):
        before = self.project(None)["nvme_epf"]["sr512k-qd32"]
        self.assertEqual(before["binding"], "dma_write")
        self.assertAlmostEqual(before["MBps"] / 1e3, 2.52, places=2)
        # no wait holds its channel: the link (3.6 GB/s) binds
        after = self.project(0)["nvme_epf"]["sr512k-qd32"]
        self.assertEqual(after["binding"], "link")
        self.assertGreaterEqual(after["MBps"] / 1e3, 2.9)
        self.assertAlmostEqual(after["dma_waits"]["write"], 1)
        # every wait holds it (a polled eDMA): one sleeping wait a command
        held = self.project(1)["nvme_epf"]["sr512k-qd32"]
        self.assertEqual(held["binding"], "dma_write")
        self.assertGreater(held["MBps"], before["MBps"])
        # 4 KiB reads keep their figures: one descriptor, one wait
        for job in ("rr4k-qd1", "rr4k-qd32", "rr4k-qd32x4"):
            self.assertAlmostEqual(self.project(0)["nvme_epf"][job]["iops"],
                                   self.project(None)["nvme_epf"][job]["iops"], places=3)


if __name__ == "__main__":
    unittest.main(verbosity=1)
