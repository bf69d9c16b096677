#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest script for measurements (asserts nothing): the cost ledger per I/O
# for 4 KiB random reads on a null namespace at QD1, QD32 and QD32 x 4
# jobs, side by side (nvme-epf stats --costs --per-io after each run).
#   make vmtest SUITE=sid GUEST_TESTS=none GUEST_SCRIPT=tests/vm/measure/costs.sh
# Prints the table between the NEPF-SHOW markers.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"
IOS=${COSTS_IOS:-4000}
tool=$(nepf_tool) || { echo "no nvme-epf tool"; exit 0; }

echo NEPF-SHOW-BEGIN
nepf_up backend=null size=1G queues=4 || echo "nepf_up failed"
dev=$(wait_for_nvme 30)
sleep 2
cols=""
for run in "1 1" "32 1" "32 4"; do
	# shellcheck disable=SC2086  # "QD JOBS"
	set -- $run
	n=$(costs_fio "$dev" "$1" "$2" $((IOS / $2)))
	echo "qd $1 jobs $2: fio $n I/Os, $(grep -o '"iops" : [0-9.]*' /tmp/costs-fio.json | head -1)"
	bash "$tool" stats --costs --per-io "$NEPF_FN" | grep -v '^#' > "/tmp/costs.$1x$2"
	cols="$cols /tmp/costs.$1x$2"
done
echo "kernel $(uname -r): per I/O (4 KiB random read, null namespace; _max per command)"
# shellcheck disable=SC2086  # the column files
paste $cols | awk 'BEGIN { printf "%-20s %10s %10s %10s\n", "counter", "qd1", "qd32", "qd32x4" }
	{ printf "%-20s %10s %10s %10s\n", $1, $2, $4, $6 }'
nepf_down
echo NEPF-SHOW-END
exit 0
