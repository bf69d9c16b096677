# SPDX-License-Identifier: GPL-2.0
# The protocol core: the files of this directory that build both into
# nvme_epf.ko and, for the unit tests, fuzzers and bench, in userspace
# (port.h tells the two apart).  This is the one list: Kbuild,
# tests/unit/Makefile, tests/fuzz/run.sh ("@core") and bench/inject-hook.sh
# read it (the shell ones through nepf_core_sources, tests/infra/common.sh).
# Keep it on one line.
NEPF_CORE := core bar-regs queues prp-sgl admin-cmd io-cmd inject edma-core bgop telemetry ns-mgmt lba-status cfg-limits bufpool poll-sched
