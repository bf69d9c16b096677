#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench-inject`: the cost of the error-injection hooks per command in
# the userspace build of the protocol core (bench/inject-hook.c), hooks
# compiled in (no rule set / one disabled rule / one enabled rule that
# never matches) against compiled out.  Asserts nothing about speed.
#
#   bench/inject-hook.sh [REPS] [KCMDS]     (defaults 7 and 2000)
#
# Builds $NEPF_BUILD/bench-inject/inject-hook{,-out} (gcc -O2, no
# sanitizers), then runs REPS rounds; each round runs every variant once,
# in a rotated order, so that a load change on the shared machine hits all
# of them alike.  Prints every run and, per variant, the median ns per
# command (of the runs' median chunks of thread CPU time), min-max and the
# median's difference to "out".  With valgrind installed it then counts
# the instructions per command of each variant (callgrind: the same
# program with 32768 and 65536 commands, the difference divided by
# 32768), which the machine's load cannot blur.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/infra/common.sh"
reps=${1:-7} kcmds=${2:-2000}
out=$NEPF_BUILD/bench-inject
mkdir -p "$out"

srcs=("$here/inject-hook.c" "$NEPF_TOP/tests/unit/simhost.c")
mapfile -t -O ${#srcs[@]} srcs < <(nepf_core_sources)
cflags=(-std=gnu11 -O2 -pthread -Wall -Wextra -Wno-unused-parameter -Werror
	-I"$NEPF_TOP/src" -I"$NEPF_TOP/tests/shim")
gcc "${cflags[@]}" -o "$out/inject-hook" "${srcs[@]}"
gcc "${cflags[@]}" -DNEPF_BENCH_NO_INJECT_HOOKS -o "$out/inject-hook-out" "${srcs[@]}"

variants=(out none disabled nomatch)
: > "$out/runs.txt"
for ((r = 0; r < reps; r++)); do
	for ((i = 0; i < ${#variants[@]}; i++)); do
		v=${variants[(i + r) % ${#variants[@]}]}
		bin=$out/inject-hook
		[ "$v" = out ] && bin=$out/inject-hook-out
		"$bin" "$v" "$kcmds" | tee -a "$out/runs.txt"
	done
done
echo "gcc $(gcc -dumpfullversion), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)," \
	"$reps rounds of ${kcmds}k 4 KiB Reads at QD32"
awk '{ v[$1] = v[$1] " " $2 }
END {
	n = split("out none disabled nomatch", order, " ")
	printf "%-9s %9s %17s %12s\n", "variant", "median ns", "min-max ns", "vs out"
	for (k = 1; k <= n; k++) {
		c = split(substr(v[order[k]], 2), x, " ")
		for (i = 1; i <= c; i++)	# insertion sort
			for (j = i; j > 1 && x[j] + 0 < x[j - 1] + 0; j--) {
				t = x[j]; x[j] = x[j - 1]; x[j - 1] = t
			}
		med[k] = c % 2 ? x[(c + 1) / 2] : (x[c / 2] + x[c / 2 + 1]) / 2
		printf "%-9s %9.1f %8.1f-%-8.1f %+7.1f ns (%+.1f %%)\n", order[k], med[k],
			x[1], x[c], med[k] - med[1], 100 * (med[k] - med[1]) / med[1]
	}
}' "$out/runs.txt"

command -v valgrind > /dev/null || { echo "(no valgrind: no instruction counts)"; exit 0; }
# instructions VARIANT KCMDS: what callgrind collected for the whole program
instructions() {
	local bin=$out/inject-hook
	[ "$1" = out ] && bin=$out/inject-hook-out
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '%-9s %14s %12s\n' variant "instr/command" "vs out"
base=0
for v in "${variants[@]}"; do
	a=$(instructions "$v" 33) b=$(instructions "$v" 66)
	if [ -z "$a" ] || [ -z "$b" ]; then
		echo "$v: callgrind failed"
		continue
	fi
	per=$(((b - a) * 100 / 32768))
	[ "$v" = out ] && base=$per
	printf '%-9s %11d.%02d %+9d.%02d\n' "$v" $((per / 100)) $((per % 100)) \
		$(((per - base) / 100)) $(((per - base) % 100 < 0 ? -(per - base) % 100 : (per - base) % 100))
done
