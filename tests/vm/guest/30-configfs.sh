#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The nvme_epf configfs tree: defaults, strict validation with the right
# errno, busy rules while started/enabled, start/stop/start, rmdir
# semantics, status files, and a save/restore round trip of every attribute.
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

C=$NEPF_CFS
S=$C/subsystems/cfg-s
F=$C/functions/cfg-f
EPC=${NEPF_EPC:-vepc.0}

if [ ! -d "$C" ]; then
	skip configfs-tree "$C missing (nvme_epf not loaded)"
	nepf_exit
fi

# expect_err NAME ERRNO-TEXT FILE VALUE: writing VALUE to FILE must fail so.
expect_err() {
	local name=$1 want=$2 file=$3 val=$4 err
	if err=$( (echo "$val" > "$file") 2>&1 ); then
		fail "$name" "writing '$val' to ${file#"$C"/} succeeded, expected '$want'"
	elif [[ $err != *"$want"* ]]; then
		fail "$name" "writing '$val' to ${file#"$C"/}: got '${err##*: }', expected '$want'"
	else
		pass "$name"
	fi
}

# expect_val NAME FILE VALUE: FILE reads back exactly VALUE.
expect_val() {
	local name=$1 file=$2 want=$3 got
	got=$(cat "$file" 2>&1)
	if [ "$got" = "$want" ]; then
		pass "$name"
	else
		fail "$name" "${file#"$C"/} is '$got', expected '$want'"
	fi
}

expect_mkdir_err() {
	local name=$1 want=$2 dir=$3 err
	if err=$(mkdir "$dir" 2>&1); then
		fail "$name" "mkdir ${dir#"$C"/} succeeded, expected '$want'"
		rmdir "$dir"
	elif [[ $err != *"$want"* ]]; then
		fail "$name" "mkdir ${dir#"$C"/}: got '${err##*: }', expected '$want'"
	else
		pass "$name"
	fi
}


check cfs-layout test -d "$C/subsystems" -a -d "$C/functions"

# ---- subsystem defaults and identity validation ----
check cfs-subsys-mkdir mkdir "$S"
check cfs-subsys-has-namespaces test -d "$S/namespaces"
expect_val cfs-default-model "$S/attr_model" nvme-epf
check cfs-default-serial grep -Eqx 'NEPF[0-9A-F]{16}' "$S/attr_serial"
check cfs-default-firmware grep -Eqx '.{1,8}' "$S/attr_firmware"
check cfs-default-vendor grep -Eqx '0x[0-9a-f]{4}' "$S/attr_vendor_id"
expect_err cfs-model-too-long "$EINVAL" "$S/attr_model" "$(printf 'm%.0s' {1..41})"
expect_err cfs-model-empty "$EINVAL" "$S/attr_model" ""
expect_err cfs-model-nonascii "$EINVAL" "$S/attr_model" "$(printf 'bad\tname')"
check cfs-model-40 nepf_set "$S/attr_model" "$(printf 'm%.0s' {1..40})"
check cfs-model-set nepf_set "$S/attr_model" "nvme-epf configfs test"
expect_val cfs-model-readback "$S/attr_model" "nvme-epf configfs test"
expect_err cfs-serial-too-long "$EINVAL" "$S/attr_serial" "123456789012345678901"
check cfs-serial-20 nepf_set "$S/attr_serial" "12345678901234567890"
expect_err cfs-firmware-too-long "$EINVAL" "$S/attr_firmware" "123456789"
expect_err cfs-oui-range "$ERANGE" "$S/attr_ieee_oui" 0x1000000
expect_err cfs-vid-notnum "$EINVAL" "$S/attr_vendor_id" "12abc"
expect_err cfs-vid-range "$ERANGE" "$S/attr_vendor_id" 0x10000
check cfs-vid-hex nepf_set "$S/attr_vendor_id" 0x1af4
expect_val cfs-vid-readback "$S/attr_vendor_id" 0x1af4

# ---- namespaces ----
expect_mkdir_err cfs-nsid-0 "$EINVAL" "$S/namespaces/0"
expect_mkdir_err cfs-nsid-too-big "$EINVAL" "$S/namespaces/33"
expect_mkdir_err cfs-nsid-noncanonical "$EINVAL" "$S/namespaces/01"
expect_mkdir_err cfs-nsid-name "$EINVAL" "$S/namespaces/one"
N=$S/namespaces/1
check cfs-ns-mkdir mkdir "$N"
expect_val cfs-ns-default-backend "$N/backend" bdev
expect_val cfs-ns-default-enable "$N/enable" 0
check cfs-ns-default-uuid grep -Eqx '[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}' "$N/device_uuid"
expect_err cfs-ns-backend-bad "$EINVAL" "$N/backend" nvram
expect_err cfs-ns-bs-bad "$EINVAL" "$N/block_size" 1024
expect_err cfs-ns-bs-range "$ERANGE" "$N/block_size" 8192
expect_err cfs-ns-size-unaligned "$EINVAL" "$N/size" 1000
expect_err cfs-ns-path-relative "$EINVAL" "$N/device_path" dev/null
expect_err cfs-ns-ro-bad "$EINVAL" "$N/readonly" 2
expect_err cfs-ns-nguid-short "$EINVAL" "$N/device_nguid" 0011223344
check cfs-ns-uuid-set nepf_set "$N/device_uuid" 01234567-89ab-cdef-0123-456789abcdef
expect_val cfs-ns-uuid-readback "$N/device_uuid" 01234567-89ab-cdef-0123-456789abcdef
check cfs-ns-nguid-set nepf_set "$N/device_nguid" 00112233445566778899AABBCCDDEEFF
expect_val cfs-ns-nguid-readback "$N/device_nguid" 00112233-4455-6677-8899-aabbccddeeff

# A backend that cannot open leaves the namespace disabled.
nepf_set "$N/device_path" /dev/nepf-does-not-exist
expect_err cfs-ns-enable-missing-dev "$ENOENT" "$N/enable" 1
expect_val cfs-ns-enable-failed-stays-0 "$N/enable" 0
# A file smaller than the requested size is refused, not grown.
truncate -s 1M /tmp/cfg-small.img
nepf_set "$N/backend" file && nepf_set "$N/device_path" /tmp/cfg-small.img &&
	nepf_set "$N/size" $((2 * 1024 * 1024))
expect_err cfs-ns-file-too-small "$EINVAL" "$N/enable" 1
nepf_set "$N/size" 0

check cfs-ns-null-config nepf_set "$N/backend" null
nepf_set "$N/size" $((64 * 1024 * 1024)) && nepf_set "$N/block_size" 4096
check cfs-ns-enable nepf_set "$N/enable" 1
expect_val cfs-ns-enabled "$N/enable" 1
expect_err cfs-ns-busy-size "$EBUSY" "$N/size" 4096
expect_err cfs-ns-busy-backend "$EBUSY" "$N/backend" bdev
check cfs-ns-enable-again nepf_set "$N/enable" 1

# ---- function defaults and validation ----
check cfs-fn-mkdir mkdir "$F"
check cfs-fn-has-status test -d "$F/status"
expect_val cfs-fn-default-class "$F/class_code" 0x010802
expect_val cfs-fn-default-qd "$F/queue_depth" 128
expect_val cfs-fn-default-mdts "$F/mdts_kb" 512
expect_val cfs-fn-default-buf-budget "$F/buf_budget_kb" 8192
expect_val cfs-fn-default-dma "$F/dma" 1
expect_val cfs-fn-default-sgl "$F/sgl" 1
expect_val cfs-fn-default-cmb "$F/cmb" 0
expect_err cfs-fn-cmb-not-bool "$EINVAL" "$F/cmb" 2
expect_val cfs-fn-default-start "$F/start" 0
q=$(cat "$F/max_io_queues")
expect_val cfs-fn-default-msix "$F/msix_vectors" $((q + 1))
nepf_set "$F/max_io_queues" 3
expect_val cfs-fn-msix-follows-queues "$F/msix_vectors" 4
nepf_set "$F/msix_vectors" 8 && nepf_set "$F/max_io_queues" 2
expect_val cfs-fn-msix-explicit-sticks "$F/msix_vectors" 8
expect_err cfs-fn-queues-0 "$ERANGE" "$F/max_io_queues" 0
expect_err cfs-fn-queues-65 "$ERANGE" "$F/max_io_queues" 65
expect_err cfs-fn-qd-1 "$ERANGE" "$F/queue_depth" 1
expect_err cfs-fn-qd-4097 "$ERANGE" "$F/queue_depth" 4097
expect_err cfs-fn-mdts-pow2 "$EINVAL" "$F/mdts_kb" 12
expect_err cfs-fn-mdts-range "$ERANGE" "$F/mdts_kb" 2048
expect_err cfs-fn-buf-budget-low "$ERANGE" "$F/buf_budget_kb" 63
expect_err cfs-fn-buf-budget-high "$ERANGE" "$F/buf_budget_kb" 1048577
expect_err cfs-fn-vid-ffff "$ERANGE" "$F/vendor_id" 0xffff
expect_err cfs-fn-class-range "$ERANGE" "$F/class_code" 0x1000000
expect_err cfs-fn-msix-range "$ERANGE" "$F/msix_vectors" 66
expect_err cfs-fn-msi-range "$ERANGE" "$F/msi_vectors" 33
expect_err cfs-fn-func-no-range "$ERANGE" "$F/func_no" 256
# nvme_epf/limits (what nvme-epf checks against) tells the truth: on a
# scratch function, each numeric attribute takes its MAX and MIN and
# refuses MAX + 1 and MIN - 1; names and NSIDs take the longest/largest
# and refuse one more.
limits_true() {
	local k lo hi d=$C/functions/cfg-lim d2 a bad="" n
	[ -r "$C/limits" ] || { echo "no $C/limits"; return 1; }
	cat "$C/limits"
	mkdir "$d" || return 1
	while read -r k lo hi _; do
		case $k in
		function.name|subsystem.name|rule.name)
			n=$(printf 'x%.0s' $(seq "$hi"))
			case $k in
			function.name) d2=$C/functions ;; subsystem.name) d2=$C/subsystems ;;
			rule.name) d2=$d/inject ;;
			esac
			mkdir "$d2/$n" 2>/dev/null && rmdir "$d2/$n" || bad="$bad $k:$hi-refused"
			! mkdir "$d2/${n}x" 2>/dev/null || { rmdir "$d2/${n}x"; bad="$bad $k:$((hi + 1))-taken"; } ;;
		namespace.nsid)
			mkdir "$S/namespaces/$hi" 2>/dev/null && rmdir "$S/namespaces/$hi" || bad="$bad nsid:$hi-refused"
			! mkdir "$S/namespaces/$((hi + 1))" 2>/dev/null || bad="$bad nsid:$((hi + 1))-taken" ;;
		function.*)
			a=${k#function.}
			(echo "$hi" > "$d/$a") 2>/dev/null || bad="$bad $a:$hi-refused"
			(echo "$lo" > "$d/$a") 2>/dev/null || bad="$bad $a:$lo-refused"
			! (echo "$((hi + 1))" > "$d/$a") 2>/dev/null || bad="$bad $a:$((hi + 1))-taken"
			[ "$lo" = 0 ] || ! (echo "$((lo - 1))" > "$d/$a") 2>/dev/null ||
				bad="$bad $a:$((lo - 1))-taken" ;;
		*) bad="$bad unknown:$k" ;;
		esac
	done < "$C/limits"
	rmdir "$d"
	[ -z "$bad" ] || { echo "limits lie:$bad"; return 1; }
}
check cfs-limits-true limits_true
# The tool tests' fake module enforces tests/pkg/kernel-limits (copied to
# the guest by tests/vm/run.sh): the running module publishes the same text
# (the unit test limits_published_equal_tool_fake compares the source).
if [ -r /nepf/guest/kernel-limits ]; then
	check cfs-limits-equal-tool-fake diff /nepf/guest/kernel-limits "$C/limits"
else
	skip cfs-limits-equal-tool-fake "no /nepf/guest/kernel-limits in the guest"
fi
expect_err cfs-fn-dma-bad "$EINVAL" "$F/dma" 2
expect_err cfs-fn-num-garbage "$EINVAL" "$F/queue_depth" "64k"
check cfs-fn-qd-set nepf_set "$F/queue_depth" 64
expect_err cfs-fn-subsys-missing "$ENOENT" "$F/subsystem" no-such-subsystem
expect_err cfs-fn-start-no-subsys "$EINVAL" "$F/start" 1
check cfs-fn-subsys-set nepf_set "$F/subsystem" cfg-s
expect_val cfs-fn-subsys-readback "$F/subsystem" cfg-s
expect_err cfs-fn-start-no-epc "$EINVAL" "$F/start" 1
# The function pins its subsystem (emptied first, so that only the pin
# can refuse the rmdir).
rmdir "$S/namespaces/1" 2>/dev/null
expect_rmdir_busy() {
	local err
	if err=$(rmdir "$1" 2>&1); then
		fail cfs-subsys-rmdir-in-use "rmdir of a named subsystem succeeded"
		mkdir "$1"
	elif [[ $err == *"$EBUSY"* ]]; then
		pass cfs-subsys-rmdir-in-use
	else
		fail cfs-subsys-rmdir-in-use "rmdir of a named subsystem: '${err##*: }'"
	fi
}
expect_rmdir_busy "$S"
# rmdir of an enabled namespace disables it first.
N=$S/namespaces/1
[ -d "$N" ] || mkdir "$N"
nepf_set "$N/backend" null && nepf_set "$N/enable" 1
check cfs-ns-rmdir-enabled rmdir "$N"
mkdir "$N" && nepf_set "$N/backend" null && nepf_set "$N/size" $((64 << 20)) &&
	nepf_set "$N/enable" 1

# ---- start / stop / start (needs the endpoint controller) ----
if [ -d "/sys/class/pci_epc/$EPC" ] || [ -n "${NEPF_CFS_FORCE_START:-}" ]; then
	check cfs-fn-epc-set nepf_set "$F/epc" "$EPC"
	check cfs-fn-start nepf_set "$F/start" 1
	expect_val cfs-fn-started "$F/start" 1
	expect_err cfs-fn-busy-qd "$EBUSY" "$F/queue_depth" 32
	expect_err cfs-fn-busy-epc "$EBUSY" "$F/epc" "$EPC"
	expect_err cfs-fn-busy-subsys "$EBUSY" "$F/subsystem" cfg-s
	expect_err cfs-subsys-busy-model "$EBUSY" "$S/attr_model" other
	for a in state link queues commands; do
		check "cfs-status-$a" test -n "$(cat "$F/status/$a")"
	done
	expect_err cfs-status-readonly "denied" "$F/status/state" x
	check cfs-fn-start-idempotent nepf_set "$F/start" 1
	check cfs-fn-stop nepf_set "$F/start" 0
	expect_val cfs-fn-stopped "$F/start" 0
	check cfs-fn-qd-after-stop nepf_set "$F/queue_depth" 32
	check cfs-fn-restart nepf_set "$F/start" 1
	expect_val cfs-fn-restarted "$F/start" 1
	# Disabling a namespace under a started function is allowed.
	check cfs-ns-disable-while-started nepf_set "$N/enable" 0
	check cfs-ns-enable-while-started nepf_set "$N/enable" 1
	check cfs-fn-rmdir-started rmdir "$F"
	check cfs-fn-gone test ! -d "$F"
	mkdir "$F" && nepf_set "$F/subsystem" cfg-s
else
	skip cfs-fn-start "no endpoint controller $EPC"
fi

# ---- save / restore: every attribute reads back and writes back ----
dump() {
	local d
	for d in "$S" "$S"/namespaces/* "$F"; do
		find "$d" -maxdepth 1 -type f ! -path '*/status/*' | sort | while read -r a; do
			[ -w "$a" ] && printf '%s=%s\n' "${a#"$C"/}" "$(cat "$a")"
		done
	done
}
unreadable=0
for a in $(find "$C" -type f); do
	cat "$a" > /dev/null 2>&1 || { unreadable=1; echo "    | cannot read $a"; }
done
[ $unreadable = 0 ] && pass cfs-all-readable || fail cfs-all-readable
nepf_set "$F/max_io_queues" 5 && nepf_set "$F/mdts_kb" 128 && nepf_set "$F/sgl" 0
before=$(dump)
# Tear down and rebuild from the dump: enable and start go last.
echo 0 > "$F/start"; rmdir "$F"
echo 0 > "$S/namespaces/1/enable"; rmdir "$S/namespaces/1"; rmdir "$S"
restore_ok=1
mkdir -p "$S/namespaces/1" "$F" || restore_ok=0
while IFS='=' read -r path val; do
	case $path in */enable | */start) continue ;; esac
	echo "$val" > "$C/$path" 2>/dev/null || { restore_ok=0; echo "    | restoring $path=$val failed"; }
done <<< "$before"
while IFS='=' read -r path val; do
	case $path in */enable) echo "$val" > "$C/$path" || restore_ok=0 ;; esac
done <<< "$before"
after=$(dump)
if [ $restore_ok = 1 ] && [ "$before" = "$after" ]; then
	pass cfs-save-restore
else
	fail cfs-save-restore "state differs after restore"
	diff <(echo "$before") <(echo "$after") | indent
fi

# ---- cleanup: function first (it pins the subsystem) ----
echo 0 > "$F/start" 2>/dev/null
check cfs-fn-rmdir rmdir "$F"
echo 0 > "$S/namespaces/1/enable"
check cfs-ns-rmdir rmdir "$S/namespaces/1"
check cfs-subsys-rmdir rmdir "$S"
rm -f /tmp/cfg-small.img
nepf_exit
