#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A hostile host: nvme_hostile.ko (tests/hostile) takes the device from the
# stock nvme driver (driver_override), drives the controller by hand with
# bad PRPs/SGLs, invalid queue commands, bad doorbells, CC.EN/CC.SHN during
# I/O and writes to read-only/reserved registers, checking each answer
# against the NVMe base specification (one PASS:/FAIL: line per case, from
# the module).  Then the stock driver gets the device back and must work.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

D=/sys/kernel/debug/nvme_hostile
PCI=/sys/bus/pci
if ! modprobe nvme_hostile 2>/dev/null || [ ! -d /sys/module/nvme_epf ]; then
	skip hostile "nvme_hostile.ko or nvme_epf.ko not available"
	exit 0
fi

# bind BDF DRIVER: give the device to DRIVER ("" = whoever matches).
bind() {
	local bdf=$1 drv=$2 cur
	cur=$(readlink "$PCI/devices/$bdf/driver" 2>/dev/null)
	[ -z "$cur" ] || echo "$bdf" > "$PCI/devices/$bdf/driver/unbind" || return 1
	echo "$drv" > "$PCI/devices/$bdf/driver_override" || return 1
	echo "$bdf" > "$PCI/drivers_probe" 2>/dev/null
	cur=$(basename "$(readlink "$PCI/devices/$bdf/driver")")
	[ "$cur" = "${drv:-nvme}" ] || { echo "bound to '$cur', not '${drv:-nvme}'"; return 1; }
}

# io DEV: 1 MiB of random data written and read back, direct I/O.
io() {
	head -c 1048576 /dev/urandom > /tmp/pat &&
	dd if=/tmp/pat of="$1" bs=64k seek=32 oflag=direct conv=notrunc status=none &&
	dd if="$1" of=/tmp/back bs=64k skip=32 count=16 iflag=direct status=none &&
	cmp -s /tmp/pat /tmp/back
}

# run_cases WHAT: run the module's cases, print its PASS:/FAIL: lines.
run_cases() {
	if ! echo "$1" > "$D/run"; then
		fail "hostile-run-$1" "writing $D/run failed"
		return
	fi
	grep -E '^(PASS|FAIL|SKIP): ' "$D/run"
	NEPF_FAILS=$((NEPF_FAILS + $(grep -c '^FAIL: ' "$D/run")))
	grep '^#' "$D/run" | indent
}

if ! nepf_up queues=4 mdts_kb=64 || ! dev=$(wait_for_nvme 30); then
	fail hostile-up
	nepf_down
	nepf_exit
fi
ctrl=$(basename "$(nvme_ctrl_of "$dev")")
bdf=$(basename "$(readlink -f "/sys/class/nvme/$ctrl/device")")
pass hostile-up
dmesg_mark

if check hostile-bind bind "$bdf" nvme_hostile; then
	start=$(date +%s)
	# Reads shorter than 512 bytes (PRP lists, SGL segments) through an
	# outbound window, where unmapped memory reads all-ones.
	R=/sys/module/nvme_epf/parameters/dma_read_min_len
	oldr=$(cat "$R")
	if [ "$(nepf_engine)" = window ]; then
		# No DMA at all (VEPC_DMA=none): the cases that expect an
		# unmapped transfer to fail print SKIP with the reason.
		run_cases windows
		skip hostile-dma-cases "no DMA: nothing to run with dma_min_len=1"
	else
		echo 512 > "$R" && run_cases run
		echo "$oldr" > "$R"
		# Every controller transfer by DMA: unmapped memory is then an
		# error the function sees (through a window it reads all-ones).
		P=/sys/module/nvme_epf/parameters/dma_min_len
		old=$(cat "$P")
		echo 1 > "$P" && run_cases dma
		echo "$old" > "$P"
	fi
	echo "hostile cases took $(( $(date +%s) - start )) s" | indent
	check hostile-unbind bind "$bdf" ""
	dev=$(wait_for_nvme 30) && check hostile-stock-driver-io io "$dev" ||
		fail hostile-stock-driver-io "no namespace after rebinding nvme"
	check hostile-stock-driver-fio fio --name=after --filename="$dev" --rw=randwrite \
		--bs=4k --size=8M --direct=1 --ioengine=libaio --iodepth=8 \
		--verify=crc32c --verify_fatal=1 --output=/tmp/fio.after
	dmesg_since_mark | grep -E 'nvme_epf|nvme_hostile|refused' | tail -n 40 | indent
fi
check hostile-down nepf_down
modprobe -r nvme_hostile
nepf_exit
