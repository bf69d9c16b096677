#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test-only in-tree modules (tests/intree) on the vepc harness.
#  - pci-ep-cfs (the kernel's PCI endpoint configfs, as a module): vepc's
#    self-test function created, linked and started the configfs way, seen
#    by its host driver, stopped and removed (both kernels).
#  - nvmet-pci-epf (7.x only: 6.12's source has no pci-epf.c), configured
#    as Documentation/nvme/nvme-pci-endpoint-target.rst says, serves a
#    memory-backed null_blk namespace to the stock nvme driver: identify,
#    one vector per I/O queue, fio crc32c verify, clean teardown.
#    It moves data by dmaengine channels only (without: MMIO through
#    windows), so vepc offers channels for this script whatever the run's
#    VEPC_DMA: the configuration make bench compares nvme_epf with.
# nepf-vm: intree
# shellcheck disable=SC2317  # helpers run through check()
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

if ! intree_has pci-ep-cfs; then
	skip intree "pci-ep-cfs.ko not built for this guest (VM_INTREE=0?)"
	exit 0
fi
cfs=/sys/kernel/config/pci_ep
epc=vepc.0
vepc_back=0
if intree_has nvmet-pci-epf && [ "$VEPC_DMA" != dmaengine ]; then
	check intree-vepc-dmaengine vepc_reload dmaengine && vepc_back=1
fi
# The run's vepc again (before each exit).
vepc_restore() {
	[ "$vepc_back" = 0 ] || check intree-vepc-restored vepc_reload "$VEPC_DMA"
}
dmesg_mark
check intree-cfs-load pci_ep_cfs_load
check intree-cfs-tree test -d "$cfs/controllers/$epc" -a -d "$cfs/functions/vepc_selftest" \
	-a -f "$cfs/controllers/$epc/start"

st=$cfs/functions/vepc_selftest/st0
selftest_up() {
	mkdir "$st" && ln -s "$st" "$cfs/controllers/$epc/" &&
		echo 1 > "$cfs/controllers/$epc/start" && host_sees 1234:e9f0 yes
}
selftest_down() {
	echo 0 > "$cfs/controllers/$epc/start" && host_sees 1234:e9f0 no &&
		rm "$cfs/controllers/$epc/st0" && rmdir "$st"
}
check intree-cfs-selftest-up selftest_up
selftest_bound() {
	local d
	d=$(pci_dev_dirs 1234:e9f0)
	[ -n "$d" ] && [ -e "$d/driver" ]
}
check intree-cfs-selftest-bound selftest_bound
check intree-cfs-selftest-down selftest_down

# --- nvmet-pci-epf, the documented way ---
if ! intree_has nvmet-pci-epf; then
	skip intree-nvmet "no drivers/nvme/target/pci-epf.c in this kernel's source"
	check intree-cfs-unload modprobe -r pci-ep-cfs
	vepc_restore
	nepf_exit
fi
queues=4
nvmet_up() {
	nullb_create $((512 * 1024 * 1024)) 512 && intree_nvmet_up "$NEPF_NULLB_DEV" $queues
}
nvmet_down() {
	local rc=0
	intree_nvmet_down || rc=1
	nullb_remove || rc=1
	return $rc
}

# The host's queues take nvme_core's io_timeout when the controller is
# probed: 30 s instead of the harness's 5 s for this slow-under-TCG target.
io_timeout=$(cat /sys/module/nvme_core/parameters/io_timeout)
echo 30 > /sys/module/nvme_core/parameters/io_timeout
if ! check intree-nvmet-up nvmet_up || ! dev=$(wait_for_nvme 30); then
	fail intree-nvmet-device "no /dev/nvme*n1"
	dmesg_since_mark | tail -n 40 | indent
	nvmet_down
	echo "$io_timeout" > /sys/module/nvme_core/parameters/io_timeout
	modprobe -r pci-ep-cfs
	vepc_restore
	nepf_exit
fi
pass intree-nvmet-device
ctrl=$(nvme_ctrl_of "$dev")
cname=${ctrl#/dev/}
nvme id-ctrl "$ctrl" > /tmp/intree-id.txt 2>&1
check intree-nvmet-model grep -qE '^mn +: Linux-pci-epf *$' /tmp/intree-id.txt
check intree-nvmet-vid grep -qE '^vid +: 0x1b96$' /tmp/intree-id.txt
# Admin + I/O queues (the namespace is a multipath head: cmic says so).
check intree-nvmet-queues test "$(cat "/sys/class/nvme/$cname/queue_count")" = $((queues + 1))
check intree-nvmet-msix-per-queue test "$(grep -cE "[ ,]${cname}q[1-9]\$" /proc/interrupts)" = $queues

# JOBS jobs on the four CPUs (4: all queues carry I/O), each on its own
# slice so that the verify pass sees only its own writes.
intree_fio() {
	local name=$1 bs=$2 io=$3 qd=$4 jobs=$5
	timeout -k 5 150 fio --name="$name" --filename="$dev" --ioengine=libaio --direct=1 \
		--rw=randrw --bs="$bs" --iodepth="$qd" --numjobs="$jobs" --cpus_allowed=0-3 \
		--cpus_allowed_policy=split --size=128M --offset_increment=128M \
		--io_size="$io" --runtime=30 --verify=crc32c --do_verify=1 --verify_fatal=1 \
		--group_reporting > "/tmp/intree-$name.txt" 2>&1 &&
		grep -q 'err= 0' "/tmp/intree-$name.txt"
}
check intree-nvmet-fio-4k-verify intree_fio it4k 4k 4M 16 4 ||
	tail -n 20 /tmp/intree-it4k.txt | indent
# Large transfers stay shallow: nvmet-pci-epf waits for each DMA segment
# by busy-polling (dma_sync_wait() under one mutex per direction) and polls
# the doorbells in a busy loop; under TCG these spinning vCPUs starve the
# vCPU that runs vepc's DMA, and 128 KiB at QD16 x 4 jobs took > 5 s per
# command (host timeouts, aborts, reset).
check intree-nvmet-fio-128k-verify intree_fio it128k 128k 8M 2 1 ||
	tail -n 20 /tmp/intree-it128k.txt | indent
grep -h 'IOPS=' /tmp/intree-it4k.txt /tmp/intree-it128k.txt 2>/dev/null | indent

check intree-nvmet-down nvmet_down
echo "$io_timeout" > /sys/module/nvme_core/parameters/io_timeout
check intree-nvmet-gone host_sees 1b96:beef no
check intree-cfs-unload modprobe -r pci-ep-cfs
[ "$NEPF_FAILS" -eq 0 ] ||
	dmesg_since_mark | grep -iE 'nvme|epf|vepc|pci_ep' | tail -n 40 | indent
vepc_restore
nepf_exit
