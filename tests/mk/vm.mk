# SPDX-License-Identifier: GPL-2.0
# QEMU guest tier: Debian's stock arm64 kernels under TCG, our function looped
# back through the vepc harness to the stock nvme host driver (tests/vm/).
#
#   make vmtest [SUITE=trixie|sid|6.1|5.10] [GUEST_SCRIPT=path] [GUEST_PACKAGES="pkg ..."]
#               [GUEST_TESTS="20-* ..."]     one suite, all or some guest tests
#   make check-vm                            trixie, sid, then 6.1 (its kernel
#                                            built from Debian's linux-source,
#                                            in the background meanwhile)
#   make check-vm-old                        5.10 (kernel built from source too;
#                                            not in make check: cost in
#                                            tests/vm/README.md)
#   make demo [SUITE=...]                    show the device to a person
# More knobs (VM_TIMEOUT, VM_CPU, VM_APPEND, ...): tests/vm/run.sh.

CHECK_TIERS += vm
VM_SUITES ?= trixie sid 6.1
VM_OLD_SUITES ?= 5.10

.PHONY: vmtest check-vm check-vm-old demo
vmtest:
	@GUEST_SCRIPT="$(GUEST_SCRIPT)" GUEST_PACKAGES="$(GUEST_PACKAGES)" \
		GUEST_TESTS="$(GUEST_TESTS)" bash tests/vm/run.sh $(or $(SUITE),trixie)

# Every suite runs even when an earlier one failed.  A guest kernel built
# from source (6.1: about 14 CPU-minutes cold, seconds when cached) starts
# building at once, at nice 19, so that on a cold cache it overlaps the
# stock-kernel suites; its suite's run.sh waits for it (kbuild.sh's lock).
check-vm:
	@bash tests/vm/prebuild.sh $(VM_SUITES); \
	rc=0; for s in $(VM_SUITES); do bash tests/vm/run.sh $$s || rc=1; done; exit $$rc

check-vm-old:
	@rc=0; for s in $(VM_OLD_SUITES); do bash tests/vm/run.sh $$s || rc=1; done; exit $$rc

demo:
	@bash tests/vm/demo.sh $(or $(SUITE),trixie)
