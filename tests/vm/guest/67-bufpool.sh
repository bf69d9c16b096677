#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data buffer budget (buf_budget_kb, src/bufpool.c, issue 14): a host
# with deep queues and large transfers meets it and gets backpressure,
# commands waiting in its SQs, never an error or a timeout.  The function
# has a budget of 512 KiB and MDTS 128 KiB (four commands' worth); fio
# writes and reads back 128 KiB blocks with crc32c verify, 4 jobs at
# depth 64 (32 MiB asked for at once).  Then:
#   bufpool-fio              fio verify clean
#   bufpool-backpressure     the ledger's buf_waits > 0: fetches were held
#   bufpool-peak             the reserved bytes never passed the budget
#   bufpool-none-over        no command ran alone past it (all fit)
#   bufpool-reused           kept buffers served most commands
#   bufpool-host-log         no timeout, reset or I/O error in the host log
# and a 4 KiB random read run at depth 128 under the same budget, also
# clean.  The budget's configfs range is in 30-configfs.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

if [ ! -d /sys/module/nvme_epf ]; then
	skip bufpool "nvme_epf.ko not loaded"
	exit 0
fi
BUDGET_KB=512
D=/sys/kernel/debug/nvme_epf/$NEPF_FN

cost_of() { awk -v k="$1" '$1 == k { print $2 }' "$D/costs"; }
# The "# buffers:" line of debugfs stats with FIELD: the number before it.
buf_stat() {
	sed -n "s/^# buffers:.*[^0-9]\([0-9][0-9]*\) $1.*/\1/p" "$D/stats" | head -n 1
}

if ! up queues=4 qd=128 mdts_kb=128 buf_budget_kb=$BUDGET_KB size=256M; then
	fail bufpool-up
	nepf_down
	nepf_exit
fi
pass bufpool-up
dmesg_mark
check bufpool-budget-set grep -q "^# buffers: budget $BUDGET_KB KiB" "$D/stats"
echo 0 > "$D/costs"

fio_ok bufpool-fio "$DEV" --bs=128k --iodepth=64 --numjobs=4 --size=8M \
	--offset_increment=32M
waits=$(cost_of buf_waits)
if [ "${waits:-0}" -gt 0 ]; then
	pass bufpool-backpressure
else
	fail bufpool-backpressure "buf_waits ${waits:-missing} after fio at 4 x QD64 of 128 KiB"
fi
grep '^# buffers:' "$D/stats" | indent
peak=$(sed -n 's/^# buffers:.*(peak \([0-9]*\) KiB), allocated.*/\1/p' "$D/stats")
if [ -n "$peak" ] && [ "$peak" -le "$BUDGET_KB" ] && [ "$peak" -gt 0 ]; then
	pass bufpool-peak
else
	fail bufpool-peak "reserved peak ${peak:-?} KiB, budget $BUDGET_KB KiB"
fi
over=$(buf_stat "commands alone over the budget")
if [ "${over:-x}" = 0 ]; then
	pass bufpool-none-over
else
	fail bufpool-none-over "${over:-?} commands over the budget"
fi
hits=$(cost_of buf_hits) misses=$(cost_of buf_misses)
if [ "${hits:-0}" -gt "${misses:-0}" ]; then
	pass bufpool-reused
else
	fail bufpool-reused "buf_hits ${hits:-?}, buf_misses ${misses:-?}"
fi

# 4 KiB at depth 128: 512 KiB is 128 slots, so the budget may bind too.
fio_ok bufpool-fio-4k "$DEV" --bs=4k --iodepth=128 --numjobs=2 --size=4M \
	--offset_increment=64M

bad=$(dmesg_since_mark | grep -iE 'nvme.*(timeout|reset|I/O error|abort)|buffer budget')
if [ -z "$bad" ]; then
	pass bufpool-host-log
else
	fail bufpool-host-log
	echo "$bad" | head -n 8 | indent
fi
check bufpool-down nepf_down
nepf_exit
