#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The standard pci_ep/ flow (docs/configfs.md "The standard pci_ep/ flow"),
# with the kernel's pci-ep-cfs built as a test-only module (tests/intree):
# mkdir pci_ep/functions/nvme_epf/<f>, the standard PCI attributes, our
# nvme/ group naming a subsystem of nvme_epf/, link to vepc.0, start.  The
# stock nvme driver must see the PCI ids set in pci_ep/, the model of the
# subsystem, one MSI-X vector per I/O queue, and pass fio verify.  Refusals:
# link without nvme/subsystem, bad values, an unknown subsystem, removing a
# subsystem in use, changing nvme/ while linked, unloading nvme_epf while a
# pci_ep/ function exists.  Then the reverse teardown, rmmod pci-ep-cfs and
# an unload/reload of nvme_epf.
# nepf-vm: intree
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

if ! intree_has pci-ep-cfs; then
	skip pciep "pci-ep-cfs.ko not built for this guest (VM_INTREE=0?)"
	nepf_exit
fi
if ! lsmod | grep -q '^nvme_epf '; then
	skip pciep "nvme_epf is not loaded"
	nepf_exit
fi

P=/sys/kernel/config/pci_ep
EPC=vepc.0
F=$P/functions/nvme_epf/pe0
L=$P/controllers/$EPC/pe0
S=$NEPF_CFS/subsystems/pe-s

# expect_err NAME ERRNO-TEXT CMD...: CMD must fail with that error.
expect_err() {
	local name=$1 want=$2 err
	shift 2
	if err=$("$@" 2>&1); then
		fail "$name" "'$*' succeeded, expected '$want'"
	elif [[ $err != *"$want"* ]]; then
		fail "$name" "'$*': got '${err##*: }', expected '$want'"
	else
		pass "$name"
	fi
}
write() { echo "$2" > "$1"; }


teardown() {
	[ "$(cat "$P/controllers/$EPC/start" 2>/dev/null)" = 1 ] &&
		echo 0 > "$P/controllers/$EPC/start"
	[ -L "$L" ] && rm "$L"
	[ -d "$F" ] && rmdir "$F"
	if [ -d "$S" ]; then
		echo 0 > "$S/namespaces/1/enable" 2>/dev/null
		rmdir "$S/namespaces/1" 2>/dev/null
		rmdir "$S"
	fi
	nullb_remove
}

# Every exit leaves nvme_epf loaded: the scripts after this one need it.
nvme_epf_back() {
	lsmod | grep -q '^nvme_epf ' ||
		check pciep-nvme-epf-restored sh -c "modprobe nvme_epf && test -d '$NEPF_CFS/functions'"
}

# The pci-epf devices nvme_epf drives (its own flow's and pci_ep/'s).
epf_bound() { ls -d /sys/bus/pci-epf/drivers/nvme_epf/nvme_epf.* 2>/dev/null; }

dmesg_mark
check pciep-cfs-load pci_ep_cfs_load
bound_before=$(epf_bound)
check pciep-mkdir mkdir "$F"
# Kernels before 5.12 have no pci_epf_ops.add_cfs: a driver cannot add its
# group under pci_ep/functions/<drv>/<f>/, so nothing can name the
# subsystem (our bind would refuse the link, and 5.10's pci_epf_bind keeps
# the module reference it took when a bind fails: no link here).  Decided
# by features, not the version: our driver is bound to the new function
# device, it has no nvme/ group, and the kernel's function directory lacks
# the primary/ and secondary/ groups that came with add_cfs in 5.12.  On a
# kernel that has them the missing group stays a failure.
if [ -d "$F" ] && [ ! -e "$F/nvme" ] && [ ! -e "$F/primary" ] && [ ! -e "$F/secondary" ] &&
	[ "$(epf_bound)" != "$bound_before" ]; then
	check pciep-rmdir-no-group rmdir "$F"
	check pciep-cfs-unload modprobe -r pci-ep-cfs
	check pciep-nvme-epf-still-loaded sh -c "lsmod | grep -q '^nvme_epf '"
	skip pciep "this kernel's pci_ep/ predates pci_epf_ops.add_cfs (5.12): no nvme/ group under pci_ep/functions/nvme_epf/<f>/, so the pci_ep/ flow cannot name a subsystem; nvme_epf's own configfs tree only"
	nvme_epf_back
	nepf_exit
fi
check pciep-nvme-group test -f "$F/nvme/subsystem" -a -f "$F/nvme/max_io_queues" \
	-a -d "$F/nvme/status" -a -d "$F/nvme/inject" -a ! -e "$F/nvme/start"
# Defaults: our PCI ids and class in the standard attributes.
check pciep-default-class test "$(cat "$F/baseclass_code" "$F/subclass_code" "$F/progif_code" | tr '\n' ' ')" = "0x0001 0x0008 0x0002 "
check pciep-state-stopped test "$(cat "$F/nvme/status/state")" = stopped
# The module runs the nvme/ group's attributes: it stays while they exist.
check pciep-unload-refused sh -c "! modprobe -r nvme_epf 2>/dev/null" || nvme_epf_back

# A function without a subsystem cannot be linked.
expect_err pciep-link-no-subsystem "$EINVAL" ln -s "$F" "$P/controllers/$EPC/"
check pciep-link-refused-clean test ! -e "$L" -a "$(cat "$F/nvme/status/state")" = stopped

# The subsystem: a memory-backed null_blk device as namespace 1.
check pciep-subsys sh -c "mkdir '$S' && echo 'pci_ep flow' > '$S/attr_model' &&
	mkdir '$S/namespaces/1'"
if nullb_create $((256 * 1024 * 1024)) 512; then
	check pciep-ns sh -c "echo '$NEPF_NULLB_DEV' > '$S/namespaces/1/device_path' &&
		echo 1 > '$S/namespaces/1/enable'"
else
	fail pciep-ns "null_blk"
fi

# nvme/ validates as nvme_epf/functions/<f>/ does (same code).
expect_err pciep-subsys-unknown "$ENOENT" write "$F/nvme/subsystem" no-such-subsys
expect_err pciep-mdts-not-pow2 "$EINVAL" write "$F/nvme/mdts_kb" 48
expect_err pciep-queues-range "$ERANGE" write "$F/nvme/max_io_queues" 0
expect_err pciep-dma-notbool "$EINVAL" write "$F/nvme/dma" maybe
check pciep-set-nvme sh -c "echo pe-s > '$F/nvme/subsystem' && echo 4 > '$F/nvme/max_io_queues' &&
	echo 64 > '$F/nvme/queue_depth' && echo 256 > '$F/nvme/mdts_kb'"
check pciep-subsys-readback test "$(cat "$F/nvme/subsystem")" = pe-s
# Named is enough to pin it, as for nvme_epf/ functions.
expect_err pciep-subsys-rmdir-named "$EBUSY" rmdir "$S"

# The standard attributes; too many vectors is refused at link time.
check pciep-ids sh -c "echo 0xbeef > '$F/deviceid' && echo 0x1af4 > '$F/subsys_vendor_id' &&
	echo 0x0042 > '$F/subsys_id' && echo 0 > '$F/msi_interrupts'"
check pciep-msix-too-many write "$F/msix_interrupts" 100
expect_err pciep-link-msix-range "$ERANGE" ln -s "$F" "$P/controllers/$EPC/"
check pciep-msix write "$F/msix_interrupts" 8

check pciep-link ln -s "$F" "$P/controllers/$EPC/"
check pciep-state-ready test "$(cat "$F/nvme/status/state")" = ready
expect_err pciep-subsys-rmdir-busy "$EBUSY" rmdir "$S"
expect_err pciep-nvme-frozen "$EBUSY" write "$F/nvme/max_io_queues" 2
expect_err pciep-model-frozen "$EBUSY" write "$S/attr_model" other
check pciep-start write "$P/controllers/$EPC/start" 1

if ! check pciep-host-sees host_sees 1d6b:beef yes || ! dev=$(wait_for_nvme 30); then
	fail pciep-device "no /dev/nvme*n1"
	dmesg_since_mark | grep -iE 'nvme|epf|pci_ep' | tail -n 30 | indent
	teardown
	modprobe -r pci-ep-cfs
	nvme_epf_back
	nepf_exit
fi
pass pciep-device
ctrl=$(nvme_ctrl_of "$dev")
cname=${ctrl#/dev/}
pdev=/sys/class/nvme/$cname/device
check pciep-pci-ids test "$(cat "$pdev/vendor" "$pdev/device" "$pdev/subsystem_vendor" \
	"$pdev/subsystem_device" | tr '\n' ' ')" = "0x1d6b 0xbeef 0x1af4 0x0042 "
nvme id-ctrl "$ctrl" > /tmp/pciep-id.txt 2>&1
check pciep-id-model grep -qE '^mn +: pci_ep flow *$' /tmp/pciep-id.txt
check pciep-id-mdts grep -qE '^mdts +: 6$' /tmp/pciep-id.txt
check pciep-nvme-list sh -c "nvme list | grep -q '$dev'"
check pciep-queues test "$(cat "/sys/class/nvme/$cname/queue_count")" = 5
check pciep-msix-per-queue test "$(grep -cE "[ ,]${cname}q[1-9]\$" /proc/interrupts)" = 4
check pciep-state-live test "$(cat "$F/nvme/status/state")" = live

fio --name=pciep --filename="$dev" --ioengine=libaio --direct=1 --rw=randrw --bs=4k \
	--iodepth=16 --numjobs=2 --size=64M --offset_increment=64M --io_size=8M \
	--runtime=20 --verify=crc32c --do_verify=1 --verify_fatal=1 --group_reporting \
	> /tmp/pciep-fio.txt 2>&1
check pciep-fio-4k-verify grep -q 'err= 0' /tmp/pciep-fio.txt || tail -n 20 /tmp/pciep-fio.txt | indent
grep -h 'IOPS=' /tmp/pciep-fio.txt | indent

# Reverse teardown: stop, unlink, rmdir; then the subsystem is free.
check pciep-stop write "$P/controllers/$EPC/start" 0
check pciep-host-gone host_sees 1d6b:beef no
check pciep-unlink rm "$L"
check pciep-state-unlinked test "$(cat "$F/nvme/status/state")" = stopped
check pciep-nvme-writable write "$F/nvme/max_io_queues" 2
check pciep-rmdir rmdir "$F"
check pciep-subsys-free sh -c "echo 0 > '$S/namespaces/1/enable' && rmdir '$S/namespaces/1' && rmdir '$S'"
nullb_remove
check pciep-cfs-unload modprobe -r pci-ep-cfs
check pciep-nvme-epf-unload modprobe -r nvme_epf
check pciep-nvme-epf-reload sh -c "modprobe nvme_epf && test -d '$NEPF_CFS/functions'"
nvme_epf_back
[ "$NEPF_FAILS" -eq 0 ] ||
	dmesg_since_mark | grep -iE 'nvme|epf|vepc|pci_ep' | tail -n 40 | indent
nepf_exit
