#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The nvme-epf tool against the real configfs tree: create, save, destroy,
# restore from the saved file; the re-saved file is byte-identical, a second
# restore changes nothing, and the host sees the same drive (serial, model,
# size, and the identity knobs ONCS and VWC set to non-default values)
# before and after; an error injection rule comes back too (saved with
# --with-inject: without it, save leaves rules out); a restore after a live
# change keeps what was added unless --prune, without bouncing the link.
# shellcheck disable=SC2317  # helpers run through check()
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

tool=
for t in "${NEPF_TOOL:-}" /nepf/scripts/nvme-epf /usr/sbin/nvme-epf /nepf/guest/nvme-epf; do
	[ -n "$t" ] && [ -f "$t" ] && { tool=$t; break; }
done
if [ -z "$tool" ]; then
	skip tool-present "scripts/nvme-epf is not in the guest image"
	nepf_exit
fi
if [ ! -d "$NEPF_CFS" ]; then
	skip tool-configfs "$NEPF_CFS missing (nvme_epf not loaded)"
	nepf_exit
fi
epf() { bash "$tool" "$@"; }
T=/tmp/nepf-tool
mkdir -p "$T"

# What the host sees: "serial|model|bytes|oncs|vwc" of the first NVMe
# namespace and its controller.
# shellcheck disable=SC2120  # optional timeout
host_view() {
	local dev ctrl id field v out=""
	dev=$(wait_for_nvme "${1:-30}") || return 1
	ctrl=$(nvme_ctrl_of "$dev")
	id=$(nvme id-ctrl "$ctrl") || return 1
	for field in sn mn; do
		v=$(sed -n "s/^$field *: *//p" <<< "$id" | sed 's/ *$//')
		out="$out$v|"
	done
	out="$out$(blockdev --getsize64 "$dev")"
	for field in oncs vwc; do
		out="$out|$(sed -n "s/^$field *: *//p" <<< "$id")"
	done
	echo "$out"
}

no_nvme() {
	local i d
	for ((i = 0; i < 100; i++)); do
		d=$(ls /dev/nvme[0-9]*n1 2>/dev/null)
		[ -z "$d" ] && return 0
		sleep 0.1
	done
	echo "still present: $d"
	return 1
}

nullb_create $((64 * 1024 * 1024)) 512 || { fail tool-nullb "no null_blk device"; nepf_exit; }
dev=$NEPF_NULLB_DEV

check tool-list-controllers sh -c "bash '$tool' list-controllers | grep -q '^vepc.0'"
check tool-create-rejects-bad-input sh -c "! bash '$tool' create --epc vepc.0 --backing $dev --queues 0 &&
	[ -z \"\$(ls '$NEPF_CFS/functions')\" ]"
check tool-create epf create --epc vepc.0 --backing "$dev" --name tool0 --queues 2 \
	--model "nvme-epf tool test" --serial TOOL0001
# Non-default identity knobs (frozen while the function runs) and a rule
# that never fires (nsid 99).
knobs() {
	local s=$NEPF_CFS/subsystems/tool0
	epf stop tool0 && echo 0x0015 > "$s/attr_oncs" && echo 1 > "$s/attr_vwc" &&
		epf inject tool0 add never nsid=99 sct=0 sc=0x04 delay_us=7 >/dev/null &&
		epf start tool0
}
check tool-identity-knobs knobs
before=$(host_view 30)
# ONCS as written; VWC bit 0 (present) set, which "auto" on null_blk is not.
if [ "${before%%|*}" = TOOL0001 ] &&
   [[ $before == *"|nvme-epf tool test|67108864|0x15|"* ]] && (( ${before##*|} & 1 )); then
	pass tool-host-sees-drive
else
	fail tool-host-sees-drive "host view: '$before'"
fi
check tool-status sh -c "bash '$tool' status tool0 | grep -q 'function tool0: epc vepc.0, subsystem tool0, started'"
check tool-save epf save --with-inject "$T/a.json"
check tool-save-stable sh -c "bash '$tool' save --with-inject - | cmp - '$T/a.json'"
check tool-destroy epf destroy tool0
check tool-host-drive-gone no_nvme
check tool-configfs-empty sh -c "[ -z \"\$(ls -A '$NEPF_CFS/functions')\" ] &&
	[ -z \"\$(ls -A '$NEPF_CFS/subsystems')\" ]"
check tool-restore epf restore "$T/a.json" --wait 10
after=$(host_view 30)
if [ -n "$after" ] && [ "$after" = "$before" ]; then
	pass tool-restore-same-drive
else
	fail tool-restore-same-drive "before '$before', after '$after'"
fi
check tool-resave-identical sh -c "bash '$tool' save --with-inject '$T/b.json' && cmp '$T/a.json' '$T/b.json'"
rule_back() {
	local r=$NEPF_CFS/functions/tool0/inject/never
	[ "$(cat "$r/enable")" = 1 ] && [ "$(cat "$r/nsid")" = 99 ] &&
		[ "$(cat "$r/sc")" = 0x04 ] && [ "$(cat "$r/delay_us")" = 7 ] &&
		[ "$(cat "$NEPF_CFS/subsystems/tool0/attr_oncs")" = 0x0015 ] &&
		[ "$(cat "$NEPF_CFS/subsystems/tool0/attr_vwc")" = 1 ]
}
check tool-restore-knobs-and-rule rule_back
check tool-restore-idempotent sh -c "bash '$tool' restore '$T/a.json' | grep -q 'nothing changed'"
# Restore after a live change (issue 18): a namespace added since the save
# stays (restore removes only with --prune) and --prune detaches it live;
# neither run bounces the link (no start write) and the host keeps its drive
# and controller.
live_change() {
	local out ctrl
	ctrl=$(ls /sys/class/nvme) && epf add-ns tool0 --backing null:8M >/dev/null || return 1
	out=$(bash "$tool" restore "$T/a.json" 2>&1) || { echo "$out"; return 1; }
	grep -qx '  subsystems/tool0/namespaces/2' <<< "$out" &&
		[ "$(cat "$NEPF_CFS/subsystems/tool0/namespaces/2/enable")" = 1 ] ||
		{ echo "unsaved namespace not kept: $out"; return 1; }
	! grep -q 'functions/tool0/start' <<< "$out" || { echo "link bounced: $out"; return 1; }
	out=$(bash "$tool" restore --prune "$T/a.json" 2>&1) || { echo "$out"; return 1; }
	grep -qx 'removed subsystems/tool0/namespaces/2' <<< "$out" &&
		[ ! -e "$NEPF_CFS/subsystems/tool0/namespaces/2" ] || { echo "not pruned: $out"; return 1; }
	! grep -q 'functions/tool0/start' <<< "$out" || { echo "link bounced: $out"; return 1; }
	[ "$(cat "$NEPF_CFS/functions/tool0/start")" = 1 ] && [ "$(ls /sys/class/nvme)" = "$ctrl" ] ||
		{ echo "controller changed: $ctrl -> $(ls /sys/class/nvme)"; return 1; }
	[ "$(host_view 30)" = "$before" ] || { echo "host view changed"; return 1; }
}
check tool-restore-after-live-change live_change
check tool-restore-reports-missing sh -c "sed 's#\"vepc.0\"#\"nosuch.0\"#' '$T/a.json' > '$T/c.json' &&
	! bash '$tool' restore --wait 1 '$T/c.json' 2>'$T/c.err' &&
	grep -q 'endpoint controller nosuch.0 not present' '$T/c.err'"
check tool-destroy-all epf destroy --all
nullb_remove
nepf_exit
