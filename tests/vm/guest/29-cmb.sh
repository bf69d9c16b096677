#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Controller Memory Buffer (function attribute cmb = 1, issue 14):
# BAR0 grows to 4 MiB, its second half a CMB for submission queues.  The
# stock nvme driver maps it with PCI P2PDMA and, by default
# (nvme.use_cmb_sqes), puts its I/O SQs there: our fetch then copies SQEs
# from our own BAR memory, and the ledger shows no host read for them.
# fio with verify, a controller reset and a driver unbind/rebind must keep
# it so.  A host kernel without CONFIG_PCI_P2PDMA (Debian 6.12) cannot
# register the CMB: it says so and keeps its SQs in host memory; that
# fallback is checked instead and the CMB cases are skipped.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

P=cmb
tool=$(nepf_tool) || { skip "$P" "scripts/nvme-epf is not in the guest image"; nepf_exit; }

# cost NAME: one counter of the function's ledger (since its last reset).
cost() {
	bash "$tool" stats --costs "$NEPF_FN" | awk -v n="$1" '$1 == n { print $2 }'
}
costs_reset() { bash "$tool" stats --costs --reset "$NEPF_FN" > /dev/null; }

dmesg_mark
if ! check $P-up nepf_up backend=nullb size=512M queues=2 cmb=1; then
	nepf_dump | indent
	nepf_down
	nepf_exit
fi
if ! dev=$(wait_for_nvme 30); then
	fail $P-device "no /dev/nvme*n1 in 30 s"
	dmesg_since_mark | tail -n 40 | indent
	nepf_down
	nepf_exit
fi
pass $P-device
ctrl=$(nvme_ctrl_of "$dev")
cname=${ctrl#/dev/}
bdf=$(basename "$(readlink -f "/sys/class/nvme/$cname/device")")
sleep 2		# the host's probe and udev are done with the device

# BAR0 as the host sized it: 4 MiB (registers, MSI-X, then the CMB).
bar0_size() {
	local start end
	read -r start end _ < "/sys/bus/pci/devices/$bdf/resource"
	echo "BAR0 $start-$end"
	[ $((end - start + 1)) = $((4 << 20)) ]
}
check $P-bar0-4mib bar0_size

# The driver's P2P pool: p2pmem/ exists once pci_p2pdma_add_resource()
# set it up.  Without CONFIG_PCI_P2PDMA that function is an inline stub
# (not in kallsyms) that fails: the driver logs "failed to register the
# CMB" and keeps its SQs in host memory.
p2p=/sys/bus/pci/devices/$bdf/p2pmem
failed=$(dmesg_since_mark | grep "failed to register the CMB")
if ! grep -qw pci_p2pdma_add_resource /proc/kallsyms; then
	skip $P-sqs-in-cmb "host kernel $(uname -r) has no CONFIG_PCI_P2PDMA (driver: ${failed:-no message}): its SQs stay in host memory"
	check $P-fallback-said-so test -n "$failed"
elif [ -n "$failed" ] || [ ! -d "$p2p" ]; then
	fail $P-registered "the host has P2PDMA but did not register the CMB (${failed:-no p2pmem/})"
	dmesg_since_mark | grep -iE 'nvme|p2p|memremap|hotplug|WARN' | tail -n 30 | indent
fi
if [ -n "$failed" ] || [ ! -d "$p2p" ]; then
	# The fallback: everything works, every SQE comes from host memory.
	costs_reset
	fio_ok $P-fallback-fio "$dev"
	host_fetch() {
		local c h
		c=$(cost sqes_cmb) h=$(cost sqes_host)
		echo "sqes_cmb $c sqes_host $h"
		[ "${c:-1}" = 0 ] && [ "${h:-0}" -gt 0 ]
	}
	check $P-fallback-sqes-from-host host_fetch
	check $P-down nepf_down
	nepf_exit
fi

# CMBSZ as the driver read it (sysfs shows cmbsz and cmbloc only once
# the driver registered the CMB: the attributes' visibility is updated
# at the end of nvme_map_cmb(), which a host without P2PDMA never reaches):
# SQS, 4 KiB units, 512 of them.
# CMBLOC: BAR0, CQMMS and CDPCILS, at 2 MiB.
reads() {
	local v
	v=$(cat "$1") || return 1
	echo "$1: $v, expected $2"
	[ "$v" = "$2" ]
}
check $P-host-cmbsz reads "/sys/class/nvme/$cname/cmbsz" $(((512 << 12) | 1))
check $P-host-cmbloc reads "/sys/class/nvme/$cname/cmbloc" $(((512 << 12) | 0x48))

if [ "$(cat /sys/module/nvme/parameters/use_cmb_sqes 2>/dev/null)" != Y ]; then
	skip $P-use-cmb-sqes "nvme.use_cmb_sqes is not Y: the host keeps its SQs in host memory"
	check $P-down nepf_down
	nepf_exit
fi

# The driver's P2P pool is the CMB (2 MiB), and its I/O SQs took a part.
p2p_in_use() {
	local size avail
	size=$(cat "$p2p/size") avail=$(cat "$p2p/available")
	echo "p2pmem size $size available $avail"
	[ "$size" = $((2 << 20)) ] && [ "$avail" -lt "$size" ]
}
check $P-p2pmem-sqs p2p_in_use

# fio through SQs in the CMB: every SQE copied locally, none read from the
# host (the admin SQ stays in host memory: at most one read per admin
# command, and fio sends none).
cmb_fetch() {
	local what=$1 c h r a
	c=$(cost sqes_cmb) h=$(cost sqes_host) r=$(cost sqe_host_reads) a=$(cost cmds_admin)
	echo "$what: sqes_cmb $c sqes_host $h sqe_host_reads $r cmds_admin $a"
	[ "${c:-0}" -gt 0 ] && [ "${r:-1}" -le "${a:-0}" ] && [ "${h:-1}" -le "${a:-0}" ]
}
costs_reset
fio_ok $P-fio "$dev"
check $P-sqes-from-cmb cmb_fetch fio
indent < /tmp/check.$P-sqes-from-cmb.log

# 4 KiB random reads at QD1: the data goes to the host, and the SQE no
# longer comes from it, so nothing at all is read from host memory: no
# DMA read descriptor (cost-budget.txt has 1 per read without a CMB, the
# SQE), no window read.  The per-I/O ledger is printed for the record.
no_host_reads() {
	local ios raw=/tmp/cmb-costs.txt
	ios=$(costs_fio "$dev" 1 1 500) || return 1
	bash "$tool" stats --costs "$NEPF_FN" > "$raw" || return 1
	bash "$tool" stats --costs --per-io "$NEPF_FN" |
		grep -E '^(cmds_io|sqe_host_reads|sqes_host|sqes_cmb|dma_rx_descs|dma_tx_descs|win_read_ops|win_read_loads|epc_locked) '
	echo "fio: $ios reads, engine $(nepf_engine)"
	[ "$ios" = 500 ] &&
	awk '$1 == "sqes_cmb" { c = $2 }
	     $1 ~ /^(sqe_host_reads|sqes_host|dma_rx_descs|win_read_ops|win_read_loads)$/ { n += $2 }
	     END { exit !(c >= 500 && n == 0) }' "$raw"
}
check $P-qd1-reads-no-host-reads no_host_reads
indent < /tmp/check.$P-qd1-reads-no-host-reads.log

# A controller reset: the host keeps its SQs in the CMB and does not
# write CMBMSC again; the controller must still know where the CMB is.
check $P-reset nvme reset "$ctrl"
check $P-live-after-reset wait_live "$cname"
costs_reset
fio_ok $P-fio-after-reset "$dev"
check $P-sqes-from-cmb-after-reset cmb_fetch reset

# Unbind and bind the driver: the CMB is mapped and registered again.
rebind() {
	echo "$bdf" > /sys/bus/pci/drivers/nvme/unbind &&
	sleep 1 &&
	[ ! -e "$dev" ] &&
	echo "$bdf" > /sys/bus/pci/drivers/nvme/bind &&
	dev=$(wait_for_nvme 30)
}
if check $P-unbind-rebind rebind; then
	ctrl=$(nvme_ctrl_of "$dev")
	cname=${ctrl#/dev/}
	sleep 2
	check $P-p2pmem-sqs-after-rebind p2p_in_use
	costs_reset
	fio_ok $P-fio-after-rebind "$dev"
	check $P-sqes-from-cmb-after-rebind cmb_fetch rebind
fi

# Nothing outside what the host mapped was touched, nothing complained.
check $P-no-refusals reads /sys/kernel/debug/vepc/refusals 0
quiet_log() {
	! dmesg_since_mark | grep -iE 'Invalid Use of Controller Memory|WARNING:|BUG:|Oops|controller fatal'
}
check $P-quiet-log quiet_log

check $P-down nepf_down
check $P-device-gone path_gone "$ctrl"
[ "$NEPF_FAILS" -eq 0 ] || dmesg_since_mark | grep -iE 'nvme|epf|vepc|p2p' | tail -n 40 | indent
nepf_exit
