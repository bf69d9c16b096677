# shellcheck shell=bash
# shellcheck disable=SC2016  # awk programs
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: trace, the module's tracepoints live, in an ftrace
# instance of its own.

# trace works in its own ftrace instance (instances/nvme-epf-PID): the
# global buffer, tracing_on and the events others enabled stay as they are,
# and removing the instance at exit undoes everything.
cmd_trace() {
	local fn="" all=0 ev events inst pid
	while [ $# -gt 0 ]; do
		case $1 in
		--all) all=1 ;;
		-*) usage_error "unknown option $1" trace ;;
		*) [ -z "$fn" ] || usage_error "only one function" trace; fn=$1 ;;
		esac
		shift
	done
	mount_fs tracefs "$TRACEFS" events
	[ -d "$TRACEFS/events/nvme_epf" ] || die "no nvme_epf tracepoints (module not loaded?)"
	[ -d "$TRACEFS/instances" ] || die "this kernel's tracefs has no instances/"
	inst=$TRACEFS/instances/$PROG-$$
	mkdir -- "$inst" || die "cannot create the ftrace instance $inst"
	# shellcheck disable=SC2064  # expand now: the same path at exit
	if [ "$FAKE" = 1 ]; then
		# Fake tracefs (tests): an instance comes with the events and a pipe.
		cp -r -- "$TRACEFS/events" "$TRACEFS/trace_pipe" "$inst/"
		trap "rm -rf -- '$inst'" EXIT
	else
		trap "rmdir -- '$inst' || warn 'could not remove the ftrace instance $inst'" EXIT
	fi
	events="nvme_epf_cmd_done nvme_epf_ctrl nvme_epf_queue nvme_epf_link"
	[ $all = 0 ] || events="$events nvme_epf_cmd_fetch nvme_epf_irq"
	for ev in $events; do
		echo 1 > "$inst/events/nvme_epf/$ev/enable" || die "cannot enable $ev"
	done
	# "<task>-<pid> [cpu] flags  1234.567890: nvme_epf_x: f0 ..." -> "1234.567890 x f0 ..."
	$AWK -v fn="$fn" '{
		for (i = 1; i <= NF; i++) if ($i ~ /^nvme_epf_/) break
		if (i > NF || (fn != "" && $(i + 1) != fn)) next
		t = $(i - 1); sub(/:$/, "", t); e = $i; sub(/^nvme_epf_/, "", e); sub(/:$/, "", e)
		line = t " " e
		for (j = i + 1; j <= NF; j++) line = line " " $j
		print line; fflush()
	}' "$inst/trace_pipe" &
	# In the background: a signal to this script (Ctrl-C, timeout) runs
	# the traps at once instead of after a read that may never return.
	pid=$!
	# shellcheck disable=SC2064  # expand now: this reader
	trap "kill $pid 2>/dev/null; wait $pid; exit 0" INT TERM
	wait "$pid"
}
