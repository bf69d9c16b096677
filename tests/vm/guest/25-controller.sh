#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The controller as the stock host driver and nvme-cli see it: log pages and
# features with their values, a filesystem that survives a remount, data with
# DMA off (windows only) and with PRPs only (SGL not advertised), and the
# recovery paths (host unbind/rebind, function stop/start while idle).
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

# A small verified fio run; every case gets its own bound.
fio_small() {
	local dev=$1 bs=$2 name=$3
	shift 3
	timeout -k 5 120 fio --name="$name" --filename="$dev" --ioengine=libaio \
		--direct=1 --rw=randrw --bs="$bs" --iodepth=8 --numjobs=2 \
		--size=32M --offset_increment=32M --io_size=2M \
		--verify=crc32c --do_verify=1 --verify_fatal=1 \
		--group_reporting "$@" > "/tmp/fio-$name.txt" 2>&1 &&
		grep -q 'err= 0' "/tmp/fio-$name.txt"
}

up_or_exit() {
	if ! nepf_up "$@"; then
		fail ctrl-up "$*"
		nepf_dump | indent
		nepf_exit
	fi
	if ! dev=$(wait_for_nvme 30); then
		fail ctrl-device-appears "$*"
		dmesg_since_mark | tail -n 30 | indent
		nepf_down
		nepf_exit
	fi
	ctrl=$(nvme_ctrl_of "$dev")
}

# Field VALUE of `nvme <cmd> -o json`-less output "name : value".
field() { sed -n "s/^$1[[:space:]]*:[[:space:]]*//p" | head -n 1 | tr -d ' ,'; }
# Current value of a feature, as a number.
feature() { nvme get-feature "$ctrl" -f "$1" 2>&1 | sed -n 's/.*Current value: *\(0x[0-9a-fA-F]*\).*/\1/p'; }

dmesg_mark
up_or_exit backend=nullb size=256M

# --- log pages and features: values, not just success
nvme id-ctrl "$ctrl" > /tmp/idc.txt 2>&1
check ctrl-id-ctrl-sqes-cqes sh -c "grep -qE '^sqes +: 0x66' /tmp/idc.txt && grep -qE '^cqes +: 0x44' /tmp/idc.txt"
check ctrl-id-ctrl-mdts sh -c "grep -qE '^mdts +: [1-9]' /tmp/idc.txt"
# Identify FR and modinfo: the package version (debian/changelog, by run.sh).
fw_is_version() {
	[ -n "${NEPF_VERSION:-}" ] &&
	[ "$(modinfo -F version nvme_epf)" = "$NEPF_VERSION" ] &&
	[ "$(field fr < /tmp/idc.txt)" = "$NEPF_VERSION" ]
}
check ctrl-fw-rev-is-version fw_is_version
nvme id-ns "$dev" > /tmp/idns.txt 2>&1
nsze=$(field nsze < /tmp/idns.txt)
check ctrl-id-ns-size test "$((nsze))" -eq $((256 * 1024 * 1024 / 512))
check ctrl-fw-log sh -c "nvme fw-log $ctrl | grep -q 'frs1'"
check ctrl-effects-log sh -c "nvme effects-log $ctrl --csi=0 | grep -qiE 'Admin Command Set|ACS'"
nq=$(feature 7)
# Number of Queues: NSQA/NCQA are 0-based, 4 I/O queues granted -> 0x30003
check ctrl-feature-nr-queues test "$((nq))" -eq $((0x30003))
check ctrl-feature-arbitration nvme get-feature "$ctrl" -f 1
check ctrl-feature-timestamp nvme get-feature "$ctrl" -f 0xe
coalescing_roundtrip() {
	nvme set-feature "$ctrl" -f 8 --value=0x0a03 && local v && v=$(feature 8) &&
	nvme set-feature "$ctrl" -f 8 --value=0 && [ "$((v))" -eq $((0x0a03)) ]
}
check ctrl-feature-coalescing-roundtrip coalescing_roundtrip
check ctrl-feature-invalid-fails sh -c "! nvme get-feature $ctrl -f 0x7f >/dev/null 2>&1"

reads0=$(nvme smart-log "$ctrl" | field host_read_commands)
dd if="$dev" of=/dev/null bs=4k count=100 iflag=direct 2>/dev/null
reads1=$(nvme smart-log "$ctrl" | field host_read_commands)
check ctrl-smart-host-reads-count test "$((reads1 - reads0))" -ge 100 || nvme smart-log "$ctrl" 2>&1 | indent
# The invalid Get Features above is the newest entry of the error log.
errlog_newest_is_invalid_field() {
	nvme error-log "$ctrl" -e 1 > /tmp/errlog.txt 2>&1 &&
	[ "$(field error_count < /tmp/errlog.txt)" -ge 1 ] &&
	[ "$(field status_field < /tmp/errlog.txt | cut -c1-6)" = 0x4002 ]
}
check ctrl-error-log-records-invalid-field errlog_newest_is_invalid_field || indent < /tmp/errlog.txt

# --- a filesystem: mkfs, files, unmount, remount, same checksums
mkdir -p /mnt/nepf
fs_case() {
	mkfs.ext4 -q -F "$dev" &&
	mount "$dev" /mnt/nepf &&
	for i in 1 2 3 4; do
		dd if=/dev/urandom of=/mnt/nepf/f$i bs=64k count=$((i * 8)) 2>/dev/null || return 1
	done &&
	(cd /mnt/nepf && sha256sum f1 f2 f3 f4) > /tmp/sums &&
	umount /mnt/nepf &&
	echo 3 > /proc/sys/vm/drop_caches &&
	mount "$dev" /mnt/nepf &&
	(cd /mnt/nepf && sha256sum -c /tmp/sums) &&
	umount /mnt/nepf &&
	fsck.ext4 -n -f "$dev"
}
check ctrl-mkfs-mount-remount-checksums fs_case || umount /mnt/nepf 2>/dev/null

# --- host driver unbind/rebind
bdf=$(basename "$(readlink -f "/sys/class/nvme/${ctrl#/dev/}/device")")
rebind() {
	echo "$bdf" > /sys/bus/pci/drivers/nvme/unbind &&
	sleep 1 &&
	[ ! -e "$dev" ] &&
	echo "$bdf" > /sys/bus/pci/drivers/nvme/bind &&
	dev=$(wait_for_nvme 30) &&
	dd if="$dev" of=/dev/null bs=4k count=16 iflag=direct
}
check ctrl-host-unbind-rebind rebind
ctrl=$(nvme_ctrl_of "$dev")

# --- function stop/start while idle: the device goes and comes back
restart() {
	local f=$NEPF_CFS/functions/$NEPF_FN
	echo 0 > "$f/start" && sleep 1 && [ ! -e "$dev" ] &&
	echo 1 > "$f/start" && dev=$(wait_for_nvme 30) &&
	fio_small "$dev" 4k restart
}
check ctrl-function-stop-start restart
nepf_down

# --- DMA off: every transfer through outbound windows
up_or_exit backend=nullb size=256M dma=0
check ctrl-dma-off-fio-4k fio_small "$dev" 4k nodma4k
check ctrl-dma-off-fio-128k fio_small "$dev" 128k nodma128k
nepf_down

# --- SGL not advertised: the host sends PRPs (incl. PRP lists) for 128k;
# the largest MDTS (1 MiB) with buffers 512 bytes past a page boundary
# (fio's iomem_align is an offset from a page): 256 pages + 1 per command
# when the host's pages are scattered enough.
nepf_up backend=nullb size=256M start=0 mdts_kb=1024 &&
	nepf_set "$NEPF_CFS/subsystems/$NEPF_SUB/attr_firmware" FWTEST01 &&
	nepf_set "$NEPF_CFS/functions/$NEPF_FN/sgl" 0 &&
	nepf_set "$NEPF_CFS/functions/$NEPF_FN/start" 1
if dev=$(wait_for_nvme 30); then
	ctrl=$(nvme_ctrl_of "$dev")
	check ctrl-prp-only-sgls-zero sh -c "nvme id-ctrl $ctrl | grep -qE '^sgls +: 0(x0)?\$'"
	check ctrl-prp-only-fio-128k fio_small "$dev" 128k prp128k
	check ctrl-mdts-1m sh -c "nvme id-ctrl $ctrl | grep -qE '^mdts +: 8\$'"
	check ctrl-fw-rev-override sh -c "nvme id-ctrl $ctrl | grep -qE '^fr +: FWTEST01\$'"
	check ctrl-fio-1m-unaligned fio_small "$dev" 1M prp1m \
		--iomem_align=512 --iodepth=2 --io_size=8M
else
	fail ctrl-prp-only-device-appears
fi
nepf_down

n=$(dmesg_since_mark | grep -ciE 'nvme.*(timeout|aborting|controller is down)')
if [ "$n" -eq 0 ]; then pass ctrl-no-host-timeouts; else skip ctrl-no-host-timeouts "$n timeout lines under TCG"; fi
nepf_exit
