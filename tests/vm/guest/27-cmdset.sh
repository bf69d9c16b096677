#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The command set beyond read/write, with the guest's nvme-cli (issue 17):
# the mandatory features (Write Atomicity Normal, Power Management,
# Temperature Threshold per sensor, Error Recovery per namespace, I/O
# Command Set Profile), Identify CNS 13h and 1Ch, the effects log with no
# arguments, what the spec answers for what we do not offer, Write
# Uncorrectable and Copy.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

dmesg_mark
if ! nepf_up backend=nullb size=64M; then
	fail cmdset-up
	nepf_dump | indent
	nepf_exit
fi
if ! dev=$(wait_for_nvme 30); then
	fail cmdset-device-appears
	dmesg_since_mark | tail -n 30 | indent
	nepf_down
	nepf_exit
fi
ctrl=$(nvme_ctrl_of "$dev")

# Is the current value of a feature ("Current value:00000157", hex) $1?
# Fails when get-feature does.
feat_eq() {
	local want=$1 v
	shift
	v=$(nvme get-feature "$@" | sed -n 's/.*Current value: *\(0x\)\{0,1\}\([0-9a-fA-F]\{1,\}\).*/\2/p')
	echo "get-feature $*: ${v:-none}, want $want"
	[ -n "$v" ] && [ "$((16#$v))" -eq "$want" ]
}

# --- features
write_atomicity() {
	feat_eq 0 "$ctrl" -f 0x0a && nvme set-feature "$ctrl" -f 0x0a --value=1 &&
	feat_eq 1 "$ctrl" -f 0x0a && nvme set-feature "$ctrl" -f 0x0a --value=0
}
check cmdset-feature-write-atomicity write_atomicity
check cmdset-feature-power-mgmt sh -c "nvme set-feature $ctrl -f 2 --value=0 && nvme get-feature $ctrl -f 2"
check cmdset-feature-power-state-1-invalid \
	fails_with "Invalid Field" nvme set-feature "$ctrl" -f 2 --value=1
# Temperature Threshold: TMPSEL in CDW11 19:16, THSEL 21:20.  Composite
# over = WCTEMP (343 K); Sensor 1 has none until set (FFFFh).
temp_per_sensor() {
	feat_eq 343 "$ctrl" -f 4 --cdw11=0 &&
	feat_eq 65535 "$ctrl" -f 4 --cdw11=0x10000 &&
	nvme set-feature "$ctrl" -f 4 --value=$((0x10000 | 350)) &&
	feat_eq 350 "$ctrl" -f 4 --cdw11=0x10000 &&
	feat_eq 343 "$ctrl" -f 4 --cdw11=0 &&
	nvme set-feature "$ctrl" -f 4 --value=$((0x10000 | 65535))
}
check cmdset-feature-temp-threshold-per-sensor temp_per_sensor
check cmdset-feature-temp-sensor-2-invalid \
	fails_with "Invalid Field" nvme get-feature "$ctrl" -f 4 --cdw11=0x20000
err_recovery() {
	nvme set-feature "$ctrl" -f 5 -n 1 --value=30 && feat_eq 30 "$ctrl" -f 5 -n 1 &&
	nvme set-feature "$ctrl" -f 5 -n 1 --value=0 && feat_eq 0 "$ctrl" -f 5 -n 1
}
check cmdset-feature-error-recovery-ns1 err_recovery
# Namespace specific: Get with NSID FFFFFFFFh (nvme-cli's default on the
# controller node) names no namespace.
check cmdset-feature-error-recovery-all-invalid-ns \
	fails_with "Invalid Namespace" nvme get-feature "$ctrl" -f 5
check cmdset-feature-iocs-profile feat_eq 0 "$ctrl" -f 0x19

# --- identify
check cmdset-id-iocs sh -c "nvme id-iocs $ctrl | grep -qx 'I/O Command Set Combination\[0\]:1'"
check cmdset-list-ctrl sh -c "nvme list-ctrl $ctrl | grep -q 'num of ctrls present: 1'"
check cmdset-primary-ctrl-caps-invalid-field \
	fails_with "Invalid Field" nvme primary-ctrl-caps "$ctrl"
# Linux wrote CC.CSS = 110b (CAP.CSS bit 6): read CC with the same Property
# Get nvme-cli uses to read CAP (FCTYPE 04h in SQE byte 4, OFST in CDW11).
cc_css_is_iocs() {
	local cc
	cc=$(nvme admin-passthru "$ctrl" --opcode=0x7f --namespace-id=4 \
		--cdw11=0x14 2>&1 | sed -n 's/.*result: *\(0x\)\{0,1\}\([0-9a-fA-F]*\).*/\2/p')
	echo "CC=$cc"
	[ -n "$cc" ] && [ $(((0x$cc >> 4) & 7)) -eq 6 ]
}
check cmdset-cc-css-iocs cc_css_is_iocs

# --- the effects log with no arguments: the NVM log lists the commands
# with their effects (Write: CSUPP+LBCC), the ZNS one the admin commands.
effects_log() {
	nvme effects-log "$ctrl" > /tmp/effects.txt 2>&1 || return 1
	grep -q '^NVM Command Set Log Page' /tmp/effects.txt &&
	grep -qE '^IOCS1 +\[Write +\] 00000003' /tmp/effects.txt &&
	grep -qE '^IOCS2 +\[Read +\] 00000001' /tmp/effects.txt &&
	grep -qE '^ACS9 +\[Set Features +\] 00000011' /tmp/effects.txt
}
check cmdset-effects-log-no-args effects_log || indent < /tmp/effects.txt

# --- Write Uncorrectable: LBAs 1002-1003 of 1000-1007 read as Unrecovered
# Read Error (ENODATA for the reader), logged at the first bad LBA and
# counted by SMART; a write makes them readable again.
uncor() {
	local m0 m1 elog
	dd if=/dev/urandom of=/tmp/uncor.in bs=512 count=8 status=none &&
	dd if=/tmp/uncor.in of="$dev" bs=512 seek=1000 oflag=direct status=none || return 1
	m0=$(media_errors "$dev")
	nvme write-uncor "$dev" -s 1002 -c 1 || return 1
	if dd if="$dev" of=/dev/null bs=512 skip=1000 count=8 iflag=direct status=none; then
		echo "read of 1000-1007 succeeded"; return 1
	fi
	dd if="$dev" of=/dev/null bs=512 skip=1000 count=2 iflag=direct status=none &&
	dd if="$dev" of=/dev/null bs=512 skip=1004 count=4 iflag=direct status=none || return 1
	# 0x281 Unrecovered Read Error with DNR (0x4281 = 17025; some
	# nvme-cli versions print the status without DNR: 641)
	elog=$(error_log "$dev")
	echo "$elog" | grep -qE '"status_field":(17025|641),[^}]*"lba":1002[,}]' ||
		{ echo "error log: $(echo "$elog" | head -c 300)"; return 1; }
	m1=$(media_errors "$dev")
	[ "$((m1 - m0))" -ge 1 ] || { echo "SMART media_errors $m0 -> $m1"; return 1; }
	# writing the whole block range clears it, and the data is the new data
	dd if=/tmp/uncor.in of="$dev" bs=512 seek=1000 oflag=direct status=none &&
	dd if="$dev" of=/tmp/uncor.out bs=512 skip=1000 count=8 iflag=direct status=none &&
	cmp /tmp/uncor.in /tmp/uncor.out
}
check cmdset-write-uncor-read-fails-write-clears uncor
check cmdset-write-uncor-out-of-range \
	fails_with "LBA Out of Range" nvme write-uncor "$dev" -s $((64 * 2048)) -c 0

# --- Copy (descriptor format 0h): two ranges to a third place, verified
# by reading it back; MCL from id-ns, one block more is Command Size Limit
# Exceeded (sources from LBA 16384 on: clear of the Write Uncorrectable
# case's blocks whatever became of them).
copy_case() {
	dd if=/dev/urandom of=/tmp/copy.a bs=512 count=8 status=none &&
	dd if=/dev/urandom of=/tmp/copy.b bs=512 count=4 status=none &&
	dd if=/tmp/copy.a of="$dev" bs=512 seek=2000 oflag=direct status=none &&
	dd if=/tmp/copy.b of="$dev" bs=512 seek=3000 oflag=direct status=none &&
	nvme copy "$dev" --sdlba=5000 --slbs=2000,3000 --blocks=7,3 &&
	dd if="$dev" of=/tmp/copy.out bs=512 skip=5000 count=12 iflag=direct status=none &&
	cat /tmp/copy.a /tmp/copy.b | cmp - /tmp/copy.out
}
check cmdset-copy-two-ranges-verified copy_case
mcl=$(nvme id-ns "$dev" | sed -n 's/^mcl *: *//p')
copy_too_long() {
	echo "mcl=$mcl"
	[ -n "$mcl" ] && [ "$mcl" -gt 0 ] &&
	nvme copy "$dev" --sdlba=5000 --slbs=16384 --blocks=$((mcl - 1)) &&
	fails_with "Size Limit\|183" nvme copy "$dev" --sdlba=5000 --slbs=16384 --blocks="$mcl"
}
check cmdset-copy-beyond-mcl-size-limit copy_too_long
check cmdset-copy-format-1-invalid-field \
	fails_with "Invalid Field" nvme copy "$dev" --sdlba=5000 --slbs=0 --blocks=0 --format=1

nepf_down
nepf_exit
