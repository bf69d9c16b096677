# shellcheck shell=bash
# shellcheck disable=SC2016  # awk programs
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: stats, a started function's counters and cost ledger
# (debugfs).

cmd_stats() {
	local fn="" costs=0 per_io=0 reset=0 f
	while [ $# -gt 0 ]; do
		case $1 in
		--costs) costs=1 ;;
		--per-io) per_io=1 ;;
		--reset) reset=1 ;;
		-*) usage_error "unknown option $1" stats ;;
		*) [ -z "$fn" ] || usage_error "expected a function name" stats; fn=$1 ;;
		esac
		shift
	done
	[ -n "$fn" ] || usage_error "expected a function name" stats
	obj_name "$fn" || die "$fn: no statistics (no such function)"
	[ $((per_io + reset)) = 0 ] || [ $costs = 1 ] ||
		usage_error "--per-io and --reset go with --costs" stats
	[ $((per_io + reset)) -lt 2 ] || usage_error "--per-io or --reset, not both" stats
	mount_fs debugfs "$DEBUGFS" .
	if [ $costs = 0 ]; then
		[ -r "$DEBUGFS/nvme_epf/$fn/stats" ] || die "$fn: no statistics (not started?)"
		cat "$DEBUGFS/nvme_epf/$fn/stats"
		return
	fi
	f=$DEBUGFS/nvme_epf/$fn/costs
	[ -r "$f" ] || die "$fn: no cost ledger (not started, or an older module?)"
	if [ $reset = 1 ]; then
		echo 0 2>/dev/null > "$f" || die "$fn: cannot reset the cost ledger"
		return
	fi
	[ $per_io = 1 ] || { cat "$f"; return; }
	# Sums per I/O command; "_max" counters are per command already.
	$AWK '{ name[NR] = $1; val[NR] = $2; if ($1 == "cmds_io") n = $2 }
	END {
		if (n == "") { print "no cmds_io counter in the ledger" > "/dev/stderr"; exit 1 }
		if (n == 0) { print "no I/O command completed: nothing to divide by" > "/dev/stderr"; exit 1 }
		printf "# per I/O command (%s completed); _max: per command\n", n
		for (i = 1; i <= NR; i++)
			if (name[i] == "cmds_io" || name[i] ~ /_max$/) printf "%s %s\n", name[i], val[i]
			else printf "%s %.3f\n", name[i], val[i] / n
	}' "$f" || die "$fn: cannot divide the cost ledger"
}
