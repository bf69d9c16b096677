#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The harness seen through nvme_epf and the stock nvme driver: one MSI-X
# vector per I/O queue that really fires, no checking-IOMMU refusals
# under I/O, no host DMA mappings left behind, surprise link down/up, a
# function offering MSI only (I/O queues on multi-MSI vectors), and the
# MSI and INTx fallbacks (vepc reloaded with MSI-X / MSI hidden).
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

D=/sys/kernel/debug/vepc
if [ ! -d /sys/module/nvme_epf ] || [ ! -d /sys/module/vepc ]; then
	skip harness-nvme "nvme_epf.ko or vepc.ko not loaded"
	exit 0
fi
stat_of() { awk -v k="$1" '$1 == k {print $2}' "$D/stats"; }
ncpu=$(nproc)

# io DEV: write 1 MiB of random data at 1 MiB from every CPU, read back.
io() {
	local dev=$1 cpu
	head -c 1048576 /dev/urandom > /tmp/pat || return 1
	for ((cpu = 0; cpu < ncpu; cpu++)); do
		taskset -c "$cpu" dd if=/tmp/pat of="$dev" bs=64k seek=16 oflag=direct \
			conv=notrunc status=none || return 1
		taskset -c "$cpu" dd if="$dev" of=/tmp/back bs=64k skip=16 count=16 \
			iflag=direct status=none || return 1
		cmp -s /tmp/pat /tmp/back || { echo "data mismatch on cpu $cpu"; return 1; }
	done
}
# up NAME SETTINGS...: bring up a function, wait for the namespace
up() {
	local name=$1
	shift
	if nepf_up "$@" && DEV=$(wait_for_nvme 30); then
		pass "$name"
		return 0
	fi
	fail "$name"
	host_dump 2>&1 | indent
	return 1
}
down_clean() {
	nepf_down
	local p
	p=$(stat_of host_mapped_pages)
	[ "$p" = 0 ] && pass "$1" || fail "$1" "$p host pages still mapped"
}
reload_vepc() {
	modprobe -r vepc && modprobe vepc "$@"
}

# --- MSI-X: one vector per queue
if up harness-nvme-up queues=4; then
	# the engine of the whole suite: VEPC_DMA decides it (lib.sh)
	e=$(nepf_engine)
	[ "$e" = "$(engine_of "$VEPC_DMA")" ] && pass harness-nvme-dma-engine ||
		fail harness-nvme-dma-engine "VEPC_DMA=$VEPC_DMA but nvme_epf runs on '$e'"
	grep '^# dma engine' "/sys/kernel/debug/nvme_epf/$NEPF_FN/stats" | indent
	check harness-nvme-io io "$DEV"
	nq=$(ls -d /sys/block/"${DEV#/dev/}"/mq/* | wc -l)
	nvec=$(grep -cE 'nvme[0-9]+q[0-9]+' /proc/interrupts)
	grep -E 'CPU|nvme[0-9]+q' /proc/interrupts | indent
	[ "$nvec" -eq $((nq + 1)) ] && [ "$nq" -gt 1 ] &&
		pass harness-nvme-vector-per-queue ||
		fail harness-nvme-vector-per-queue "$nq queues, $nvec vectors"
	idle=$(grep -E 'nvme[0-9]+q[1-9]' /proc/interrupts |
	       awk '{s = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i; else break;
		     if (s == 0) print $NF}')
	[ -z "$idle" ] && pass harness-nvme-all-vectors-fire ||
		fail harness-nvme-all-vectors-fire "silent: $idle"
	r=$(cat "$D/refusals")
	[ "$r" = 0 ] && pass harness-nvme-no-refusals || fail harness-nvme-no-refusals "$r"

	echo 0 > "$D/link"
	sleep 1
	[ -b "$DEV" ] && fail harness-nvme-link-down "$DEV still present" ||
		pass harness-nvme-link-down
	echo 1 > "$D/link"
	if DEV=$(wait_for_nvme 30); then
		check harness-nvme-link-up-io io "$DEV"
	else
		fail harness-nvme-link-up-io "no namespace after link up"
	fi
	r=$(cat "$D/refusals")
	[ "$r" = 0 ] && pass harness-nvme-relink-no-refusals ||
		fail harness-nvme-relink-no-refusals "$r"
	down_clean harness-nvme-down-clean
fi

# --- a function with MSI only (no MSI-X capability): the host gets one
# multi-MSI vector per I/O queue, so it must get its I/O queues too
msi0=$(stat_of irq_msi) msix0=$(stat_of irq_msix)
if up harness-nvme-msi-only-up queues=4 msix=0 msi=8; then
	check harness-nvme-msi-only-io io "$DEV"
	nq=$(ls -d /sys/block/"${DEV#/dev/}"/mq/* | wc -l)
	nvec=$(grep -cE 'nvme[0-9]+q[0-9]+' /proc/interrupts)
	grep -E 'CPU|nvme[0-9]+q' /proc/interrupts | indent
	[ "$nq" -gt 1 ] && [ "$nvec" -eq $((nq + 1)) ] &&
		pass harness-nvme-msi-only-queues ||
		fail harness-nvme-msi-only-queues "$nq I/O queues, $nvec vectors"
	[ "$(stat_of irq_msi)" -gt "$msi0" ] && [ "$(stat_of irq_msix)" = "$msix0" ] &&
		pass harness-nvme-msi-only-used || fail harness-nvme-msi-only-used "$(cat "$D/stats")"
	down_clean harness-nvme-msi-only-down-clean
else
	nepf_down
fi

# --- fallbacks: vepc hides MSI-X, then MSI too
if reload_vepc no_msix=1; then
	if up harness-nvme-msi-up queues=2; then
		check harness-nvme-msi-io io "$DEV"
		n=$(stat_of irq_msi)
		[ "${n:-0}" -gt 0 ] && [ "$(stat_of irq_msix)" = 0 ] &&
			pass harness-nvme-msi-used || fail harness-nvme-msi-used "$(cat "$D/stats")"
		down_clean harness-nvme-msi-down-clean
	fi
else
	fail harness-nvme-msi-up "vepc reload"
fi
if reload_vepc no_msix=1 no_msi=1; then
	if up harness-nvme-intx-up queues=2; then
		check harness-nvme-intx-io io "$DEV"
		n=$(stat_of irq_intx)
		[ "${n:-0}" -gt 0 ] && pass harness-nvme-intx-used ||
			fail harness-nvme-intx-used "$(cat "$D/stats")"
		down_clean harness-nvme-intx-down-clean
	fi
else
	fail harness-nvme-intx-up "vepc reload"
fi
check harness-nvme-vepc-restored reload_vepc
nepf_exit
