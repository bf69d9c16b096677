#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The media operations, with the guest's nvme-cli (issue 17): Format NVM
# (512 <-> 4096-byte blocks, user data erase, one namespace or all, the
# errors of what is not offered), Device Self-test (short, extended,
# abort, a failure where the host made a block uncorrectable) with log
# 06h, Sanitize (block erase) with log 81h and I/O refused meanwhile, and
# the Telemetry Host-Initiated log (07h).
# Logs are read raw (get-log -b) so that no nvme-cli version's wording
# matters; the status names nvme-cli prints are the spec's.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

# Wait (up to $1 s) until no self-test runs; the log is then in LOG[].
dst_wait() {
	local i
	for ((i = 0; i < $1 * 5; i++)); do
		get_log 6 564 || return 1
		[ "${LOG[0]}" -eq 0 ] && return 0
		sleep 0.2
	done
	echo "self-test still running: op ${LOG[0]}, ${LOG[1]}%"
	return 1
}
# Wait (up to $1 s) until the sanitize is no longer in progress.
san_wait() {
	local i
	for ((i = 0; i < $1 * 5; i++)); do
		get_log 0x81 512 || return 1
		[ $(( $(le16 2) & 7 )) -ne 2 ] && return 0
		sleep 0.2
	done
	echo "sanitize still in progress: sprog $(le16 0)"
	return 1
}

ns_cfs=$NEPF_CFS/subsystems/$NEPF_SUB/namespaces

if ! up backend=nullb size=64M; then
	fail cmdset2-up
	nepf_down
	nepf_exit
fi
dev=$DEV ctrl=$(nvme_ctrl_of "$DEV")

# --- what Identify and the effects log say
identify() {
	local oacs sanicap
	oacs=$(nvme id-ctrl "$ctrl" | sed -n 's/^oacs *: *//p')
	sanicap=$(nvme id-ctrl "$ctrl" | sed -n 's/^sanicap *: *//p')
	echo "oacs=$oacs sanicap=$sanicap"
	[ $((oacs & 0x12)) -eq $((0x12)) ] && [ $((sanicap & 2)) -eq 2 ] &&
	nvme id-ns "$dev" | grep -qE '^nlbaf +: 1$' &&
	nvme id-ns "$dev" | grep -qE '^lbaf +0 : ms:0 +lbads:9 .*in use' &&
	nvme id-ns "$dev" | grep -qE '^lbaf +1 : ms:0 +lbads:12 '
}
check cmdset2-identify-oacs-sanicap-lbafs identify
effects() {
	nvme effects-log "$ctrl" > /tmp/effects2.txt 2>&1 || return 1
	grep -qE '^ACS20 .* 00000001' /tmp/effects2.txt &&
	grep -qE '^ACS128 .* 00010007' /tmp/effects2.txt &&
	grep -qE '^ACS132 .* 00020003' /tmp/effects2.txt
}
check cmdset2-effects-log-lists-them effects || grep ACS < /tmp/effects2.txt | indent

# --- Format NVM: 512 -> 4096 with user data erase, fio, back to 512
fmt_4096() {
	dd if=/dev/urandom of="$dev" bs=1M count=1 oflag=direct status=none &&
	nvme format "$dev" --lbaf=1 --ses=1 --force &&
	blocks_are "$dev" 4096 $((64 << 20)) &&
	is_zero "$dev" $((1 << 20)) &&
	test "$(cat "$ns_cfs/$NEPF_NSID/block_size")" = 4096 &&
	nvme id-ns "$dev" | grep -qE '^lbaf +1 : ms:0 +lbads:12 .*in use'
}
check cmdset2-format-4096-erases fmt_4096
fio_ok cmdset2-format-4096-fio-verify "$dev"
fmt_512() {
	nvme format "$dev" --lbaf=0 --ses=0 --force &&
	blocks_are "$dev" 512 $((64 << 20))
}
check cmdset2-format-back-to-512 fmt_512
fio_ok cmdset2-format-512-fio-verify "$dev"
# Raw commands: nvme-cli checks some fields itself before sending.
check cmdset2-format-crypto-erase-invalid-field \
	fails_with "Invalid Field" nvme admin-passthru "$ctrl" --opcode=0x80 \
		--namespace-id=1 --cdw10=$((2 << 9))
check cmdset2-format-lbaf-2-invalid-format \
	fails_with "Invalid Format" nvme admin-passthru "$ctrl" --opcode=0x80 \
		--namespace-id=1 --cdw10=2
check cmdset2-format-pi-invalid-format \
	fails_with "Invalid Format" nvme admin-passthru "$ctrl" --opcode=0x80 \
		--namespace-id=1 --cdw10=$((1 << 5))
# NSID FFFFFFFFh: every namespace (a second one, null backend, 16 MiB).
fmt_all() {
	local ns2=$ns_cfs/2 dev2=${dev%n*}n2
	mkdir -p "$ns2" && nepf_set "$ns2/backend" null &&
	nepf_set "$ns2/size" $((16 << 20)) && nepf_set "$ns2/enable" 1 || return 1
	blocks_are "$dev2" 512 $((16 << 20)) &&
	nvme admin-passthru "$ctrl" --opcode=0x80 --namespace-id=0xffffffff --cdw10=1 &&
	blocks_are "$dev" 4096 $((64 << 20)) && blocks_are "$dev2" 4096 $((16 << 20)) &&
	nvme admin-passthru "$ctrl" --opcode=0x80 --namespace-id=0xffffffff --cdw10=0 &&
	blocks_are "$dev" 512 $((64 << 20)) && blocks_are "$dev2" 512 $((16 << 20))
}
check cmdset2-format-all-namespaces fmt_all
echo 0 > "$ns_cfs/2/enable" 2>/dev/null; rmdir "$ns_cfs/2" 2>/dev/null

# --- Device Self-test
dst_short() {
	nvme device-self-test "$ctrl" --namespace-id=1 --self-test-code=1 &&
	dst_wait 120 &&
	{ echo "result ${LOG[4]}"; [ "${LOG[4]}" -eq $((0x10)) ]; }
}
check cmdset2-self-test-short dst_short
dst_extended() {
	local edstt
	edstt=$(nvme id-ctrl "$ctrl" | sed -n 's/^edstt *: *//p')
	echo "edstt=$edstt"
	[ "${edstt:-0}" -ge 1 ] &&
	nvme device-self-test "$ctrl" --namespace-id=0xffffffff --self-test-code=2 &&
	dst_wait $((edstt * 60)) &&
	{ echo "result ${LOG[4]}, previous ${LOG[32]}"; [ "${LOG[4]}" -eq $((0x20)) ] &&
	  [ "${LOG[32]}" -eq $((0x10)) ]; }
}
check cmdset2-self-test-extended dst_extended
# A block the host made uncorrectable: failed segment 1, NSID and LBA
# valid, status Unrecovered Read Error (SCT 2, SC 81h).
dst_uncor() {
	nvme write-uncor "$dev" --start-block=5000 --block-count=0 &&
	nvme device-self-test "$ctrl" --namespace-id=1 --self-test-code=2 &&
	dst_wait 120 || return 1
	echo "result ${LOG[4]} seg ${LOG[5]} valid ${LOG[6]} nsid $(le32 16) lba $(le32 20) sct ${LOG[28]} sc ${LOG[29]}"
	[ "${LOG[4]}" -eq $((0x27)) ] && [ "${LOG[5]}" -eq 1 ] && [ "${LOG[6]}" -eq 15 ] &&
	[ "$(le32 16)" -eq 1 ] && [ "$(le32 20)" -eq 5000 ] &&
	[ "${LOG[28]}" -eq 2 ] && [ "${LOG[29]}" -eq $((0x81)) ] &&
	dd if=/dev/zero of="$dev" bs=512 seek=5000 count=1 oflag=direct status=none
}
check cmdset2-self-test-finds-uncorrectable dst_uncor
check cmdset2-self-test-code-3-invalid-field \
	fails_with "Invalid Field" nvme admin-passthru "$ctrl" --opcode=0x14 \
		--namespace-id=1 --cdw10=3

# --- Sanitize (block erase): the data is gone, the log says done
san_erase() {
	dd if=/dev/urandom of="$dev" bs=1M count=2 oflag=direct status=none &&
	nvme sanitize "$ctrl" --sanact=start-block-erase && san_wait 120 || return 1
	echo "sstat $(le16 2) sprog $(le16 0) scdw10 $(le32 4)"
	[ $(( $(le16 2) & 7 )) -eq 1 ] && [ "$(le16 0)" -eq 65535 ] &&
	[ "$(le32 4)" -eq 2 ] && is_zero "$dev" $((2 << 20))
}
check cmdset2-sanitize-block-erase san_erase
fio_ok cmdset2-sanitize-fio-verify-after "$dev"
check cmdset2-sanitize-overwrite-invalid-field \
	fails_with "Invalid Field" nvme admin-passthru "$ctrl" --opcode=0x84 --cdw10=3

# --- Telemetry Host-Initiated (07h): nvme-cli creates a snapshot and reads
# data areas 1-3; area 1 is our statistics as text (the reads above show
# in the SMART line), area 2 the error log (the Invalid Field just above
# is among its newest entries: status field 4002h << 1).
telemetry() {
	local size i sf found=""
	rm -f /tmp/tl.bin
	nvme telemetry-log "$ctrl" --output-file=/tmp/tl.bin --data-area=3 || return 1
	size=$(stat -c %s /tmp/tl.bin)
	echo "telemetry log: $size bytes"
	[ "$size" -eq $((25 * 512)) ] &&
	[ "$(od -An -tu1 -N1 /tmp/tl.bin | tr -d ' ')" = 7 ] &&
	dd if=/tmp/tl.bin bs=512 skip=1 count=16 status=none | tr -d '\0' > /tmp/tl.txt &&
	head -n 1 /tmp/tl.txt | grep -qx 'nvme-epf telemetry 1' &&
	grep -qE '^smart host_reads [1-9][0-9]* ' /tmp/tl.txt &&
	grep -qE '^ns 1 backend bdev blocks 131072 block_size 512 ' /tmp/tl.txt ||
		return 1
	for ((i = 0; i < 4; i++)); do
		sf=$(od -An -tu2 -j $((17 * 512 + i * 64 + 12)) -N2 /tmp/tl.bin | tr -d ' ')
		[ "$sf" = $((0x4002 << 1)) ] && found=yes
	done
	echo "Invalid Field in the error entries of area 2: ${found:-no}"
	[ -n "$found" ]
}
check cmdset2-telemetry-host-log telemetry || indent < /tmp/tl.txt
nepf_down

# --- a backend that cannot serve 512-byte blocks (4096-byte null_blk)
if up backend=nullb size=64M bs=4096; then
	dev=$DEV ctrl=$(nvme_ctrl_of "$DEV")
	check cmdset2-format-512-on-4k-device-invalid-format \
		fails_with "Invalid Format" nvme admin-passthru "$ctrl" --opcode=0x80 \
			--namespace-id=1 --cdw10=0
	check cmdset2-format-4096-on-4k-device sh -c "nvme admin-passthru $ctrl \
		--opcode=0x80 --namespace-id=1 --cdw10=$((1 | 1 << 9)) &&
		test \"\$(blockdev --getss $dev)\" = 4096"
else
	fail cmdset2-4k-up
fi
nepf_down

# --- slow media (50 ms per command): operations seen in progress
if ! NEPF_NULLB_OPTS="irqmode=2 completion_nsec=50000000" up backend=nullb size=64M; then
	fail cmdset2-slow-up
	nepf_down
	nepf_exit
fi
dev=$DEV ctrl=$(nvme_ctrl_of "$DEV")
dst_abort() {
	nvme device-self-test "$ctrl" --namespace-id=1 --self-test-code=2 &&
	get_log 6 564 && echo "running: op ${LOG[0]} ${LOG[1]}%" &&
	[ "${LOG[0]}" -eq 2 ] &&
	nvme device-self-test "$ctrl" --self-test-code=0xf &&
	dst_wait 30 && { echo "result ${LOG[4]}"; [ "${LOG[4]}" -eq $((0x21)) ]; }
}
check cmdset2-self-test-abort dst_abort
# While it erases, I/O gets Sanitize In Progress (passthrough: no retry),
# and SPROG moves.
san_progress() {
	local seen=""
	nvme sanitize "$ctrl" --sanact=start-block-erase && get_log 0x81 512 || return 1
	echo "sstat $(le16 2) sprog $(le16 0)"
	[ $(( $(le16 2) & 7 )) -eq 2 ] || return 1
	fails_with "Sanitize In Progress" nvme read "$dev" --start-block=0 \
		--block-count=0 --data-size=512 --data=/dev/null || return 1
	while get_log 0x81 512 && [ $(( $(le16 2) & 7 )) -eq 2 ]; do
		[ "$(le16 0)" -gt 0 ] && seen=yes
		sleep 0.5
	done
	echo "sstat $(le16 2) sprog $(le16 0), progress seen: ${seen:-no}"
	[ -n "$seen" ] && [ $(( $(le16 2) & 7 )) -eq 1 ] &&
	nvme read "$dev" --start-block=0 --block-count=0 --data-size=512 --data=/dev/null
}
check cmdset2-sanitize-in-progress-refuses-io san_progress

nepf_down
nepf_exit
