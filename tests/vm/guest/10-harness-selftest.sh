#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The virtual endpoint harness (vepc.ko) tested on its own, without
# nvme_epf: vepc's built-in self-test function and host driver exercise
# BAR access, every MSI-X/MSI/INTx vector, data through outbound windows
# and through the dmaengine channels, the checking IOMMU, the fault knobs,
# the fallbacks when MSI-X/MSI are hidden, and a clean unload.
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

D=/sys/kernel/debug/vepc
HOSTDRV=/sys/bus/pci/drivers/vepc_selftest_host

if ! modinfo vepc >/dev/null 2>&1; then
	skip harness-selftest "vepc.ko not built"
	exit 0
fi

# st NAME CMD: one self-test command; the result line explains a failure.
st() {
	local name=$1
	shift
	if echo "$*" > "$D/selftest" 2>/dev/null; then
		pass "$name"
	else
		fail "$name" "$(cat "$D/selftest" 2>/dev/null)"
	fi
}
# st_fails NAME CMD: the command must fail (fault injection).
st_fails() {
	local name=$1
	shift
	if echo "$*" > "$D/selftest" 2>/dev/null; then
		fail "$name" "succeeded: $(cat "$D/selftest")"
	else
		pass "$name"
	fi
}
stat_of() { awk -v k="$1" '$1 == k {print $2}' "$D/stats"; }

bound() {
	local i
	for ((i = 0; i < 100; i++)); do
		ls "$HOSTDRV"/*:* >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
# A bound function pins its driver's module (here vepc itself): stop it
# through debugfs before unloading.
unload() {
	[ -e "$D/selftest_fn" ] && echo 0 > "$D/selftest_fn"
	modprobe -r vepc
}
# reload PARAMS...: vepc with the self-test function started, with
# dmaengine channels whatever the run's VEPC_DMA (the self-test function
# moves data through dmaengine only)
reload() {
	unload 2>/dev/null
	# shellcheck disable=SC2046 # several arguments
	modprobe vepc $(vepc_args dmaengine) selftest=1 "$@" && bound
}

check harness-unload-idle modprobe -r vepc
check harness-selftest-up reload
lspci -nn | grep -i '1234:e9f0' | indent

st harness-bar bar
st harness-irq-msix irq msix
n=$(grep -c vepc-selftest /proc/interrupts)
[ "$n" = 16 ] && pass harness-msix-16-vectors ||
	fail harness-msix-16-vectors "$n in /proc/interrupts"
st harness-irq-msi irq msi
st harness-irq-intx irq intx
st harness-irq-msix-again irq msix

for size in 64 4219 1048576; do
	for path in window dma; do
		dma=0
		[ $path = dma ] && dma=1
		for op in read write copy; do
			st "harness-$op-$path-$size" "$op $size $dma"
		done
	done
done
for path in window dma; do
	dma=0
	[ $path = dma ] && dma=1
	t0=$(date +%s%N)
	for i in 1 2 3 4; do echo "read 1048576 $dma" > "$D/selftest"; done
	t1=$(date +%s%N)
	echo "    | 4 x 1 MiB endpoint reads via $path: $(( (t1 - t0) / 1000000 )) ms"
done
r=$(cat "$D/refusals")
[ "$r" = 0 ] && pass harness-iommu-no-refusals || fail harness-iommu-no-refusals "$r refusals"

# The EPC statistics (bench/: counts per I/O of any function driver) see
# exactly what one self-test command does: one descriptor or one window
# of 4219 bytes per direction, one MSI-X raise for the completion.
# stats_delta CMD KEY=N...: run CMD, then each counter moved by N.
stats_delta() {
	local cmd=$1 kv k got bad=""
	shift
	cat "$D/stats" > /tmp/vepc-s0
	echo "$cmd" > "$D/selftest" || { echo "command failed: $(cat "$D/selftest")"; return 1; }
	cat "$D/stats" > /tmp/vepc-s1
	for kv in "$@"; do
		k=${kv%=*}
		got=$(awk -v k="$k" 'FNR == NR { a[$1] = $2; next } $1 == k { print $2 - a[k] }' \
			/tmp/vepc-s0 /tmp/vepc-s1)
		[ "$got" = "${kv#*=}" ] || bad="$bad $k=${got:-missing}"
	done
	[ -z "$bad" ] || { echo "moved:$bad (wanted $*)"; return 1; }
}
check harness-stats-dma-read stats_delta "read 4219 1" dma_read_desc=1 dma_read_bytes=4219 \
	dma_read_segs=1 dma_write_desc=0 dma_configs=1 dma_issues=1 dma_ch0_read_bytes=4219 \
	op_map_addr=0 op_raise_msix=1 irq_msix=1
check harness-stats-dma-copy stats_delta "copy 4219 1" dma_read_desc=1 dma_read_bytes=4219 \
	dma_write_desc=1 dma_write_bytes=4219 dma_configs=2 op_raise_msix=1
check harness-stats-window-read stats_delta "read 4219 0" op_map_addr=1 op_unmap_addr=1 \
	window_maps=1 window_map_bytes=4219 window_write_bytes=0 dma_read_desc=0 op_raise_msix=1

# The checking IOMMU must refuse a page the host unmapped, on both paths
# (the host driver's one-page streaming map shows in the statistics).
check harness-iommu-unmapped-window stats_delta "unmapped 0" refusals=1 \
	host_map_segs=1 host_map_bytes=4096
st harness-iommu-unmapped-dma unmapped 1
r=$(cat "$D/refusals")
[ "$r" = 2 ] && pass harness-iommu-refusals-counted ||
	fail harness-iommu-refusals-counted "$r refusals"
dmesg | grep -q 'EPF dma read of host addr .*not DMA-mapped by host driver (refused)' &&
	pass harness-iommu-logged || fail harness-iommu-logged

# Fault knobs.
echo 1 > "$D/dma_fail"
st_fails harness-dma-fail-injected read 4096 1
st harness-dma-fail-once read 4096 1
echo 1 > "$D/windows"
st harness-one-window copy 65536 0
echo 16 > "$D/windows"
echo 0 > "$D/link"
sleep 0.5
[ -n "$(pci_dev_dirs 1234:e9f0)" ] && fail harness-link-down "device still present" ||
	pass harness-link-down
echo 1 > "$D/link"
bound && st harness-link-up-again bar || fail harness-link-up-again "host driver did not rebind"
st harness-after-relink read 65536 1
dmesg | grep -q 'runtime PM trying to activate child' &&
	fail harness-relink-pm || pass harness-relink-pm

# Interrupt fallbacks and no DMA.
check harness-no-msix-up reload no_msix=1
st_fails harness-no-msix-hidden irq msix
st harness-no-msix-msi irq msi
check harness-no-msi-up reload no_msix=1 no_msi=1
st harness-intx-only irq intx
st harness-intx-data read 65536 0
check harness-no-dma-up reload dma_channels=0
st harness-no-dma-window read 65536 0
st_fails harness-no-dma-dma read 65536 1

check harness-unload unload
dmesg | grep -qE 'vepc.*(leaked|\([1-9][0-9]* host pages still)' &&
	fail harness-unload-clean "$(dmesg | grep -E 'vepc.*leaked' | tail -1)" ||
	pass harness-unload-clean
# Leave the guest as the other tests expect it (the run's VEPC_DMA).
check harness-reload-plain modprobe vepc
nepf_exit
