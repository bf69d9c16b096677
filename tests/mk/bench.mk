# SPDX-License-Identifier: GPL-2.0
# Benchmarks (issue #7): nvme_epf vs the raw null_blk vs the in-tree
# nvmet-pci-epf in one QEMU guest run.  Not part of `make check`, except:
#
#   make bench [SUITE=sid]      the real run -> bench/results/<date>-<kernel>.{json,md,png}
#   make bench-smoke [SUITE=]   a few seconds per job -> build/bench/smoke.*
#   make bench-inject           error-injection hooks: cost per command in the
#                               userspace core (bench/inject-hook.sh)
#   make bench-inject-guest [SUITE=sid]   the same as an fio A/B in the guest
#                               -> bench/results/<date>-<kernel>-inject-hooks.md
#   make check-bench            (tier) the projection's unit tests
#                               (bench/test_project.py) and bench/report.py on
#                               two stored smoke consoles (bench/testdata/); the guest
#                               side of the smoke run is
#                               tests/vm/guest/65-bench-smoke.sh in check-vm

CHECK_TIERS += bench
.PHONY: bench bench-smoke bench-inject bench-inject-guest check-bench

bench:
	@bash bench/run.sh $(or $(SUITE),sid)

bench-smoke:
	@bash bench/run.sh $(or $(SUITE),sid) --smoke

bench-inject:
	@bash bench/inject-hook.sh

bench-inject-guest:
	@bash bench/inject-ab.sh $(or $(SUITE),sid)

check-bench:
	@bash -c '. tests/infra/common.sh && nepf_host_install python3-matplotlib' >&2
	@/usr/bin/python3 bench/test_project.py
	@mkdir -p $(BUILD)/bench && /usr/bin/python3 bench/report.py --check \
		--console bench/testdata/smoke-console.txt --out $(BUILD)/bench/check
	@/usr/bin/python3 bench/report.py --check \
		--console bench/testdata/smoke-console-sqedma.txt --out $(BUILD)/bench/check-sqedma
