#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The cost ledger at QD1 against its budget: reset the function's costs
# (debugfs nvme_epf/<fn>/costs, through `nvme-epf stats --costs`), run a
# fixed number of 4 KiB random reads at QD1 with fio on a null namespace,
# divide every counter by the I/O commands completed, print the table and
# check each counter against cost-budget.txt (a maximum per I/O; for the
# _max counters, per command).  The divisor itself must equal fio's I/O
# count: the ledger counts exactly what the host asked for.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"
BUDGET=${COSTS_BUDGET:-/nepf/guest/cost-budget.txt}
IOS=${COSTS_IOS:-2000}

tool=$(nepf_tool) || { skip costs-tool "scripts/nvme-epf is not in the guest image"; nepf_exit; }
[ -r "$BUDGET" ] || { fail costs-budget-file "$BUDGET missing"; nepf_exit; }
check costs-up nepf_up backend=null size=1G queues=4 || { nepf_down; nepf_exit; }
dev=$(wait_for_nvme 30) || { fail costs-device; nepf_down; nepf_exit; }
sleep 2		# the host's probe and udev are done with the device

ios=$(costs_fio "$dev" 1 1 "$IOS")
if [ "$ios" = "$IOS" ]; then
	pass costs-fio
else
	fail costs-fio "fio did $ios I/Os, wanted $IOS"
	tail -n 20 /tmp/costs-fio.json | indent
fi
raw=/tmp/costs-raw.txt per=/tmp/costs-per-io.txt
if ! bash "$tool" stats --costs "$NEPF_FN" > "$raw" ||
   ! bash "$tool" stats --costs --per-io "$NEPF_FN" > "$per"; then
	fail costs-read
	nepf_down
	nepf_exit
fi
cmds=$(awk '$1 == "cmds_io" { print $2 }' "$raw")
if [ "$cmds" = "$ios" ]; then
	pass costs-divisor
else
	fail costs-divisor "cmds_io $cmds, fio $ios"
fi

# Every counter has a budget line and every budget line a counter.
names() { grep -v '^#' "$1" | awk 'NF { print $1 }' | sort > "$2"; }
names "$per" /tmp/costs-names.ledger
names "$BUDGET" /tmp/costs-names.budget
if cmp -s /tmp/costs-names.ledger /tmp/costs-names.budget; then
	pass costs-budget-complete
else
	fail costs-budget-complete "ledger and budget list different counters"
	diff /tmp/costs-names.ledger /tmp/costs-names.budget | indent
fi

echo "cost ledger, $(uname -r), 4 KiB random read QD1, $ios I/Os (per I/O; _max per command)"
printf '    | %-20s %12s %12s\n' counter measured budget
# "name measured budget verdict": budget "-" is shown, not checked.
awk 'NR == FNR { if ($1 !~ /^#/ && NF) b[$1] = $2; next }
	/^#/ { next }
	{ m = $2; x = ($1 in b) ? b[$1] : "?"
	  v = (x == "-") ? "shown" : (x == "?") ? "none" : (m <= x + 0.0005) ? "ok" : "over"
	  print $1, m, x, v }' "$BUDGET" "$per" > /tmp/costs-verdict.txt
while read -r name m x v; do
	printf '    | %-20s %12s %12s %s\n' "$name" "$m" "$x" "$([ "$v" = over ] && echo OVER)"
done < /tmp/costs-verdict.txt
while read -r name m x v; do
	case $v in
	ok) pass "costs-$name" ;;
	over) fail "costs-$name" "$m per I/O, budget $x" ;;
	esac
done < /tmp/costs-verdict.txt

# QD32: completions that overlap share their CQ's interrupt (one per CQ
# and poll pass, issue 14), so fewer raises than I/Os; at QD1 above each
# completion drains its SQ and raises at once (epc_raise_irq 1).
ios=$(costs_fio "$dev" 32 1 "$IOS")
if [ "$ios" = "$IOS" ] &&
   bash "$tool" stats --costs --per-io "$NEPF_FN" > /tmp/costs-qd32.txt; then
	irqs=$(awk '$1 == "epc_raise_irq" { print $2 }' /tmp/costs-qd32.txt)
	if awk -v v="${irqs:-1}" 'BEGIN { exit !(v < 1) }'; then
		pass costs-qd32-irq-per-pass
	else
		fail costs-qd32-irq-per-pass "epc_raise_irq ${irqs:-?} per I/O at QD32, want < 1"
	fi
else
	fail costs-qd32-irq-per-pass "fio did $ios I/Os, wanted $IOS"
fi

check costs-down nepf_down
nepf_exit
