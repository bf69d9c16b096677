# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Guest side of bench/inject-ab.sh (issue #8): the same fio job against
# nvme_epf with
#   none     no injection rule
#   nomatch  one enabled rule that never matches (nsid 99): every command
#            goes through the rule check
#   out      the module built with the hooks compiled out
#            (-DNEPF_BENCH_NO_INJECT_HOOKS, /nepf/files/nvme_epf-nohooks.ko)
# in alternating repetitions.  Each repetition loads the stock and the
# hook-less module once each (the order alternates), so that every variant
# runs on a freshly loaded module and a freshly probed host controller.
# Settings: AB_REPS (10), AB_RUNTIME (6 s), AB_RAMP (1 s).
# Records (parsed by bench/inject-ab-report.py):
#   NEPF-INJAB-META key=value...
#   NEPF-INJAB-RUN variant rep fio-json-on-one-line
#   NEPF-INJAB-FAIL variant rep reason
# Sourced after lib.sh and tests/vm/guest/bench.sh (bench_gone); asserts
# nothing about speed.

AB_KO=/nepf/files/nvme_epf-nohooks.ko
AB_RULE=$NEPF_CFS/functions/$NEPF_FN/inject/never

# ab_module stock|out: (re)load nvme_epf
ab_module() {
	rmmod nvme_epf || return 1
	if [ "$1" = out ]; then
		insmod "$AB_KO"
	else
		modprobe nvme_epf
	fi
}

ab_up() {
	nepf_up backend=null size=1G queues=4 model="nvme-epf inject-ab" &&
		AB_DEV=$(wait_for_nvme 30)
}

ab_down() {
	nepf_down && bench_gone
}

ab_fio() {
	local variant=$1 rep=$2 out=/tmp/ab.json rc
	timeout -k 10 $((AB_RUNTIME + AB_RAMP + 60)) fio --name=rr4k-qd32 \
		--filename="$AB_DEV" --ioengine=libaio --direct=1 --rw=randread \
		--bs=4k --iodepth=32 --numjobs=1 --time_based --runtime="$AB_RUNTIME" \
		--ramp_time="$AB_RAMP" --percentile_list=50:99 --output-format=json \
		> "$out" 2> /tmp/ab.err
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "NEPF-INJAB-FAIL $variant $rep fio-exit-$rc $(tail -n 1 /tmp/ab.err)"
		return 1
	fi
	echo "NEPF-INJAB-RUN $variant $rep $(tr -d '\n\t' < "$out")"
}

# One module load: the variants it serves, in order.
ab_round() {
	local module=$1 rep=$2 v
	shift 2
	ab_module "$module" || { echo "NEPF-INJAB-FAIL $module $rep module-load"; return 1; }
	ab_up || { echo "NEPF-INJAB-FAIL $module $rep setup"; ab_down; return 1; }
	for v in "$@"; do
		if [ "$v" = nomatch ]; then
			if ! { mkdir "$AB_RULE" && echo 99 > "$AB_RULE/nsid" &&
			       echo 1 > "$AB_RULE/enable"; }; then
				echo "NEPF-INJAB-FAIL $v $rep rule"
				return 1
			fi
		fi
		ab_fio "$v" "$rep" || return 1
		if [ "$v" = nomatch ]; then
			# The rule must have been checked and never fired.
			[ "$(cat "$AB_RULE/fired")" = 0 ] && [ "$(cat "$AB_RULE/matched")" = 0 ] ||
				echo "NEPF-INJAB-FAIL $v $rep rule-fired"
			echo 0 > "$AB_RULE/enable" && rmdir "$AB_RULE"
		fi
	done
	ab_down || { echo "NEPF-INJAB-FAIL $module $rep teardown"; return 1; }
}

ab_main() {
	: "${AB_REPS:=10}" "${AB_RUNTIME:=6}" "${AB_RAMP:=1}"
	local rep fails=0 io_timeout
	[ -f "$AB_KO" ] || { echo "NEPF-INJAB-FAIL all - no $AB_KO"; return 1; }
	# Under TCG a QD32 command can take seconds: with the harness's 5 s
	# the host times commands out and resets the controller, which is not
	# what is measured here.  The host's queues take it at probe.
	io_timeout=$(cat /sys/module/nvme_core/parameters/io_timeout)
	echo 60 > /sys/module/nvme_core/parameters/io_timeout
	echo "NEPF-INJAB-META kernel=$(uname -r) cpus=$(nproc) runtime=$AB_RUNTIME" \
		"ramp=$AB_RAMP reps=$AB_REPS fio=$(fio --version)" \
		"stock=$(md5sum < "$(modinfo -n nvme_epf)" | cut -c1-12)" \
		"out=$(md5sum < "$AB_KO" | cut -c1-12)"
	for ((rep = 1; rep <= AB_REPS; rep++)); do
		if ((rep % 2)); then
			ab_round stock "$rep" none nomatch || fails=$((fails + 1))
			ab_round out "$rep" out || fails=$((fails + 1))
		else
			ab_round out "$rep" out || fails=$((fails + 1))
			ab_round stock "$rep" nomatch none || fails=$((fails + 1))
		fi
	done
	ab_module stock
	echo "$io_timeout" > /sys/module/nvme_core/parameters/io_timeout
	[ "$fails" = 0 ]
}
