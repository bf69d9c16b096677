#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Smoke test of the whole loop: our function on a 512 MiB memory-backed
# null_blk namespace, seen by the stock nvme driver: identify, one MSI-X
# vector per I/O queue, fio with crc32c verify (4k and 128k), controller
# reset, I/O again, teardown.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

model="nvme-epf basic"
serial=NEPFBASIC01
queues=4

dmesg_mark
if ! check basic-up nepf_up backend=nullb size=512M queues=$queues \
		model="$model" serial=$serial; then
	nepf_dump | indent
fi
if ! dev=$(wait_for_nvme 30); then
	fail basic-device-appears "no /dev/nvme*n1 in 30 s"
	nepf_dump | indent
	dmesg_since_mark | tail -n 40 | indent
	nepf_down
	nepf_exit
fi
pass basic-device-appears
ctrl=$(nvme_ctrl_of "$dev")
cname=${ctrl#/dev/}

check basic-nvme-list sh -c "nvme list | grep -q '^$dev '"

nvme id-ctrl "$ctrl" > /tmp/id-ctrl.txt 2>&1
check basic-id-ctrl-model grep -qE "^mn +: $model *\$" /tmp/id-ctrl.txt
check basic-id-ctrl-serial grep -qE "^sn +: $serial *\$" /tmp/id-ctrl.txt

# One vector per I/O queue: a line per queue, no line shared by two queues
# (a hidden MSI-X table size makes the host fall back to one vector).
vectors_per_queue() {
	local q n
	for ((q = 1; q <= queues; q++)); do
		n=$(grep -cE "[ ,]${cname}q$q(,|\$)" /proc/interrupts)
		[ "$n" = 1 ] || { echo "${cname}q$q on $n lines"; return 1; }
	done
	if grep -E "${cname}q[0-9]+, *${cname}q" /proc/interrupts; then
		echo "queues share a vector"
		return 1
	fi
	[ "$(ls -d /sys/block/"${dev#/dev/}"/mq/*/ | wc -l)" = "$queues" ] ||
		{ echo "hardware queues: $(ls /sys/block/"${dev#/dev/}"/mq/)"; return 1; }
}
if ! check basic-msix-per-queue vectors_per_queue; then
	grep -E "CPU|$cname" /proc/interrupts | indent
fi

# Four jobs on four CPUs (so all four queues carry I/O), each on its own
# 128 MiB slice so that the verify pass sees only its own writes.  The
# write phase stops at IO bytes or 30 s; fio gets 150 s in all, so a stuck
# controller fails this case instead of the whole script.
fio_verify() {
	local name=$1 bs=$2 io=$3
	timeout -k 5 150 fio --name="$name" --filename="$dev" --ioengine=libaio \
		--direct=1 --rw=randrw --bs="$bs" --iodepth=16 --numjobs=4 \
		--cpus_allowed=0-3 --cpus_allowed_policy=split \
		--size=128M --offset_increment=128M --io_size="$io" --runtime=30 \
		--verify=crc32c --do_verify=1 --verify_fatal=1 \
		--group_reporting > "/tmp/fio-$name.txt" 2>&1
	local rc=$?
	grep -E 'IOPS=|err=' "/tmp/fio-$name.txt"
	[ $rc -eq 0 ] && grep -q 'err= 0' "/tmp/fio-$name.txt"
}
check basic-fio-randrw-4k-verify fio_verify rw4k 4k 4M || tail -n 20 /tmp/fio-rw4k.txt | indent
check basic-fio-randrw-128k-verify fio_verify rw128k 128k 16M || tail -n 20 /tmp/fio-rw128k.txt | indent
grep -h 'IOPS=' /tmp/fio-rw4k.txt /tmp/fio-rw128k.txt 2>/dev/null | indent

check basic-reset nvme reset "$ctrl"
check basic-live-after-reset wait_live "$cname"
check basic-fio-after-reset fio_verify reset4k 4k 2M || tail -n 20 /tmp/fio-reset4k.txt | indent

check basic-down nepf_down
check basic-device-gone path_gone "$ctrl"
[ "$NEPF_FAILS" -eq 0 ] || dmesg_since_mark | grep -iE 'nvme|epf|vepc' | tail -n 40 | indent
nepf_exit
