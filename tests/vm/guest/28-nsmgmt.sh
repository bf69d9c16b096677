#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Namespace Management and Attachment with the guest's nvme-cli (issue
# 17): a capacity pool (subsystems/<s>/pool_size, pool_path: a directory
# of sparse files), create-ns, list-ns -a, attach-ns, list-ctrl, fio
# verify on the new namespace, data kept across detach + attach, the
# errors the spec gives, delete-ns, re-create at another size and block
# size, and the host's namespaces surviving a function restart and a
# reload of the pool's metadata (what a board reboot does).
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

POOL=/var/tmp/nepf-pool
POOL_SIZE=$((96 << 20))
s=$NEPF_CFS/subsystems/$NEPF_SUB
f=$NEPF_CFS/functions/$NEPF_FN

# Only ever remove our own pool directory.
pool_clean() {
	[ "$POOL" = /var/tmp/nepf-pool ] || return 1
	rm -f "$POOL"/nsid-*.img "$POOL"/nsid-*.meta
	rmdir "$POOL" 2>/dev/null
	return 0
}

pool_clean
mkdir -p "$POOL"
# The board's own namespace 1 (null, 32 MiB), then the pool, then start.
if ! nepf_up backend=null size=32M start=0 ||
   ! nepf_set "$s/pool_size" "$POOL_SIZE" ||
   ! nepf_set "$s/pool_path" "$POOL" ||
   ! nepf_set "$f/start" 1 || ! DEV=$(wait_for_nvme 30); then
	fail nsmgmt-up
	host_dump 2>&1 | indent
	nepf_down
	pool_clean
	nepf_exit
fi
ctrl=$(nvme_ctrl_of "$DEV")
idc() { nvme id-ctrl "$ctrl" | sed -n "s/^$1 *: *//p"; }
cntlid=$(( $(idc cntlid) ))
# NSID list of list-ns (-a: allocated) contains $2.
listed() { nvme list-ns "$ctrl" ${1:+"$1"} | grep -qiE ":0x$(printf %x "$2")\$"; }

identify() {
	local oacs tnvmcap unvmcap
	oacs=$(idc oacs) tnvmcap=$(idc tnvmcap) unvmcap=$(idc unvmcap)
	echo "oacs=$oacs tnvmcap=$tnvmcap unvmcap=$unvmcap cntlid=$cntlid"
	[ $((oacs & 8)) -eq 8 ] && [ "$tnvmcap" = "$POOL_SIZE" ] &&
	[ "$unvmcap" = "$POOL_SIZE" ] && [ "$(( $(idc mnan) ))" -eq 32 ]
}
check nsmgmt-identify-oacs-capacity identify

# --- create (16 MiB of 512-byte blocks): allocated, not attached
NSID=""
create() {
	local out
	out=$(nvme create-ns "$ctrl" --nsze="$1" --ncap="$1" --flbas="$2" --dps=0) || return 1
	echo "$out"
	# nvme-cli 2.13: "create-ns: Success, created nsid:2"; 2.16: "nsid: 2"
	NSID=$(grep -oiE 'nsid: ?[0-9]+' <<< "$out" | grep -oE '[0-9]+' | tail -n 1)
	[ -n "$NSID" ]
}
create_16m() {
	create 32768 0 && [ "$NSID" = 2 ] &&
	listed -a 2 && ! listed "" 2 &&
	[ "$(idc unvmcap)" = $((POOL_SIZE - (16 << 20))) ] &&
	[ "$(stat -c %s "$POOL/nsid-2.img")" = $((16 << 20)) ]
}
check nsmgmt-create-ns create_16m
check nsmgmt-create-thin-unsupported \
	fails_with "thin provisioning" nvme create-ns "$ctrl" --nsze=2048 --ncap=1024 --flbas=0
check nsmgmt-create-insufficient-capacity \
	fails_with "insufficient capacity" nvme create-ns "$ctrl" \
		--nsze=$((POOL_SIZE / 512)) --ncap=$((POOL_SIZE / 512)) --flbas=0
check nsmgmt-create-pi-invalid-field \
	fails_with "invalid field" nvme create-ns "$ctrl" --nsze=2048 --ncap=2048 --flbas=0 --dps=1

# --- attach, list-ctrl, fio verify; dev2: the host's disk of NSID 2
dev2=""
attach() {
	nvme attach-ns "$ctrl" --namespace-id="$1" --controllers="$cntlid" &&
	dev_wait "$1" && listed "" "$1" || return 1
	[ "$1" != 2 ] || dev2=$NSDEV
}
detach() {
	nvme detach-ns "$ctrl" --namespace-id="$1" --controllers="$cntlid" &&
	dev_wait "$1" gone && ! listed "" "$1"
}
attach_2() {
	attach 2 && blocks_are "$dev2" 512 $((16 << 20)) &&
	nvme list-ctrl "$ctrl" --namespace-id=2 | grep -qiE ":0x0*$(printf %x "$cntlid")\$" &&
	grep -q attached=1 "$POOL/nsid-2.meta"
}
check nsmgmt-attach-ns attach_2
check nsmgmt-attach-again-already-attached \
	fails_with "already attached" nvme attach-ns "$ctrl" --namespace-id=2 --controllers="$cntlid"
check nsmgmt-attach-other-ctrl-list-invalid \
	fails_with "controller list invalid" nvme attach-ns "$ctrl" --namespace-id=2 \
		--controllers=$((cntlid + 1))
check nsmgmt-detach-board-ns-invalid-field \
	fails_with "invalid field" nvme detach-ns "$ctrl" --namespace-id=1 --controllers="$cntlid"
fio_ok nsmgmt-fio-verify "$dev2"

# --- data kept across detach + attach
sum() { dd if="$1" bs=1M count=4 iflag=direct status=none | md5sum | cut -d' ' -f1; }
SUM=""
keep_data() {
	dd if=/dev/urandom of="$dev2" bs=1M count=4 oflag=direct status=none &&
	SUM=$(sum "$dev2") && detach 2 &&
	nvme list-ctrl "$ctrl" --namespace-id=2 | grep -qiE 'num of ctrls present: 0|^$' &&
	attach 2 && [ "$(sum "$dev2")" = "$SUM" ]
}
check nsmgmt-detach-attach-keeps-data keep_data
detach_twice() {
	detach 2 &&
	fails_with "not attached" nvme detach-ns "$ctrl" --namespace-id=2 --controllers="$cntlid"
}
check nsmgmt-detach-not-attached detach_twice

# --- survives a function restart and a reload of the pool (board reboot)
restart() {
	attach 2 || return 1
	nepf_set "$f/start" 0 && nepf_set "$s/pool_path" "" &&
	nepf_set "$s/pool_path" "$POOL" && nepf_set "$f/start" 1 || return 1
	DEV=$(wait_for_nvme 30) && ctrl=$(nvme_ctrl_of "$DEV") &&
	dev_wait 2 && dev2=$NSDEV && [ "$(sum "$dev2")" = "$SUM" ] && listed -a 2
}
check nsmgmt-survives-restart-and-reload restart

# --- delete, re-create at another size with 4096-byte blocks
delete_2() {
	nvme delete-ns "$ctrl" --namespace-id=2 && dev_wait 2 gone &&
	! listed -a 2 && [ "$(idc unvmcap)" = "$POOL_SIZE" ] &&
	[ ! -s "$POOL/nsid-2.meta" ]
}
check nsmgmt-delete-ns delete_2
check nsmgmt-delete-again-invalid-field \
	fails_with "invalid field" nvme delete-ns "$ctrl" --namespace-id=2
recreate() {
	create 2048 1 && [ "$NSID" = 2 ] && attach 2 &&
	blocks_are "$dev2" 4096 $((8 << 20)) && is_zero "$dev2" $((8 << 20))
}
check nsmgmt-recreate-4096 recreate
fio_ok nsmgmt-recreate-fio-verify "$dev2" --size=2M --offset_increment=4M

# --- delete everything the host made (FFFFFFFFh); namespace 1 stays
delete_all() {
	create 2048 0 && [ "$NSID" = 3 ] &&
	nvme delete-ns "$ctrl" --namespace-id=0xffffffff && dev_wait 2 gone &&
	! listed -a 2 && ! listed -a 3 && listed "" 1 &&
	[ "$(idc unvmcap)" = "$POOL_SIZE" ]
}
check nsmgmt-delete-all delete_all

nepf_down
pool_clean
nepf_exit
