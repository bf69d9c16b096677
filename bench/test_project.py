#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of bench/project.py (make check-bench): a hand-computed
projection, the calibration, and the counts derived from hist records."""
import copy
import math
import os
import sys
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
        # sleeping wait (10) + 4000 B at 4000 B/us (1) + 2 hand-offs (10)
        # + the command (3) = 46.7 us; + 10 us of host = 56.7 us
        self.assertAlmostEqual(m["ep_us"], 46.7)
        self.assertAlmostEqual(m["latency_us"], 56.7)
        h = m["holds_us"]
        self.assertAlmostEqual(h["poller"], 8 + 3 + 2 + 1)       # loads, map+unmap, ioremap, cmd/3
        self.assertAlmostEqual(h["epc_lock"], 6 + 3 + 0.5)
        self.assertAlmostEqual(h["dma_write"], (1 + 10 + 1) / 2)  # two write channels used
        self.assertAlmostEqual(h["dma_read"], 0)
        self.assertAlmostEqual(h["windows"], (6 + 4 + 8 + 0.2) / 2)  # nvme_epf holds 2
        self.assertAlmostEqual(h["per_cq"], 0)
        self.assertAlmostEqual(h["cpus"], (46.7 - 1 - 10) / 4)
        self.assertAlmostEqual(h["link"], 4096 / 4000)
        self.assertAlmostEqual(h["host"], 4)
        # QD1: latency bound, 1e6 / 56.7
        self.assertEqual(m["binding"], "latency (QD 1)")
        self.assertAlmostEqual(m["iops"], 1e6 / 56.7)
        self.assertAlmostEqual(m["MBps"], 1e6 / 56.7 * 4096 / 1e6)

    def test_qd32_bound_by_poller(self):
        m = project.model("nvme_epf", "rr4k-qd32", EPF_QD1, project.units_of(SOC))
        # 32 / 56.7 us = 564k; the poller's 14 us allow 71.4k
        self.assertEqual(m["binding"], "poller")
        self.assertAlmostEqual(m["iops"], 1e6 / 14)

    def test_k_scales_estimates_only(self):
        soc = copy.deepcopy(SOC)
        soc["units"]["wakeup"]["kind"] = "estimate"
        soc["units"]["host_qd1"].update(kind="estimate", scale=False)
        u = project.units_of(soc, k=2.0)
        self.assertEqual(u["wakeup"], 10.0)
        self.assertEqual(u["host_qd1"], 10.0)
        self.assertEqual(u["np_load"], 1.0)
        m = project.model("nvme_epf", "rr4k-qd1", EPF_QD1, u)
        self.assertAlmostEqual(m["ep_us"], 46.7 + 10)

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
        self.assertAlmostEqual(m["ep_us"], 46.7 - 8)
        table = "\n".join(project.counts_table({"nvme_epf": {"rr4k-qd1": c}}))
        self.assertIn("| n/a |", table)


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
        self.assertAlmostEqual(c["epc_lock_ops"], 2 + 2 + 1 + 1)
        self.assertAlmostEqual(c["handoffs"], 2)          # cc_work and vepc's work excluded
        self.assertEqual(c["dma_write_chans"], 2)
        self.assertAlmostEqual(c["dma_irq_waits"], 1)
        self.assertAlmostEqual(c["dma_desc_poller"], 0)
        self.assertAlmostEqual(c["host_segs"], 1)
        self.assertEqual(notes, [])

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


if __name__ == "__main__":
    unittest.main(verbosity=1)
