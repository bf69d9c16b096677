# SPDX-License-Identifier: GPL-2.0
# QEMU guest tier: Debian's stock arm64 kernels under TCG, our function looped
# back through the vepc harness to the stock nvme host driver (tests/vm/).
#
#   make vmtest [SUITE=trixie|sid|6.1|5.10] [GUEST_SCRIPT=path] [GUEST_PACKAGES="pkg ..."]
#               [GUEST_TESTS="20-* ..."]     one suite, all or some guest tests
#   make check-vm                            trixie then sid
#   make check-vm-old                        6.1 then 5.10: kernels built from
#                                            Debian's linux-source (not in
#                                            make check: cost in tests/vm/README.md)
#   make demo [SUITE=...]                    show the device to a person
# More knobs (VM_TIMEOUT, VM_CPU, VM_APPEND, ...): tests/vm/run.sh.

CHECK_TIERS += vm
VM_SUITES ?= trixie sid
VM_OLD_SUITES ?= 6.1 5.10

.PHONY: vmtest check-vm check-vm-old demo
vmtest:
	@GUEST_SCRIPT="$(GUEST_SCRIPT)" GUEST_PACKAGES="$(GUEST_PACKAGES)" \
		GUEST_TESTS="$(GUEST_TESTS)" bash tests/vm/run.sh $(or $(SUITE),trixie)

# Every suite runs even when an earlier one failed.
check-vm:
	@rc=0; for s in $(VM_SUITES); do bash tests/vm/run.sh $$s || rc=1; done; exit $$rc

check-vm-old:
	@rc=0; for s in $(VM_OLD_SUITES); do bash tests/vm/run.sh $$s || rc=1; done; exit $$rc

demo:
	@bash tests/vm/demo.sh $(or $(SUITE),trixie)
