#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build and run the libFuzzer targets of the protocol core.
#
#   tests/fuzz/run.sh [-t SECONDS] [TARGET...]
#
# Targets are tests/fuzz/fuzz-<name>.c (fuzz-host.c is shared); the line
# "fuzz-sources: ..." in a target lists the files it links (@core: every
# protocol-core file, as src/core.mk lists them).  For each
# target this prints
#   PASS|FAIL: fuzz/<name>/corpus   every committed input (tests/fuzz/corpus/
#                                   <name>/: seeds and regressions) run once
#   PASS|FAIL: fuzz/<name>          SECONDS of fuzzing (0: not run)
# Fuzzing keeps its growing corpus in $NEPF_BUILD/fuzz/work/<name>/ (warm
# across runs, never committed) and writes crashing inputs to
# $NEPF_BUILD/fuzz/artifacts/<name>/: reproduce one with
#   $NEPF_BUILD/fuzz/fuzz-<name> <file>
# and, once fixed, commit it as tests/fuzz/corpus/<name>/regress-<what>.
set -u
. "$(dirname "$0")/../infra/common.sh"

seconds=60
while getopts t: opt; do
	case $opt in
	t) seconds=$OPTARG ;;
	*) echo "usage: $0 [-t SECONDS] [TARGET...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

src=$NEPF_TOP/tests/fuzz
out=$NEPF_BUILD/fuzz
mkdir -p "$out"

if [ $# -eq 0 ]; then
	set -- $(cd "$src" && ls fuzz-*.c | sed -e '/^fuzz-host\.c$/d' -e 's/^fuzz-//' -e 's/\.c$//')
fi

# clang with libFuzzer (Debian: the runtime is in libclang-rt-<major>-dev).
have_libfuzzer() {
	echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' \
		> "$out/probe.c" &&
	clang -fsanitize=fuzzer "$out/probe.c" -o "$out/probe" 2>/dev/null
}
if ! have_libfuzzer; then
	nepf_host_install clang >/dev/null 2>&1
	ver=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
	[ -n "$ver" ] && nepf_host_install "libclang-rt-$ver-dev" >/dev/null 2>&1
fi
if ! have_libfuzzer; then
	for t in "$@"; do
		echo "SKIP: fuzz/$t (clang with libFuzzer not available)"
	done
	exit 0
fi

CFLAGS=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-Wall -Wextra -Wno-unused-parameter -I"$NEPF_TOP/src" -I"$NEPF_TOP/tests/shim" -I"$src")
# Stop a runaway walk early; keep memory modest on a shared machine.
RUNFLAGS=(-timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1)

rc=0
for t in "$@"; do
	tsrc=$src/fuzz-$t.c
	bin=$out/fuzz-$t
	log=$out/$t.log
	if [ ! -f "$tsrc" ]; then
		echo "FAIL: fuzz/$t (no $tsrc)"
		rc=1
		continue
	fi
	extra=$(sed -n 's/.*fuzz-sources:\(.*\)$/\1/p' "$tsrc" | sed 's/\*\///')
	files=("$tsrc" "$src/fuzz-host.c")
	for f in $extra; do
		if [ "$f" = @core ]; then
			# Every protocol-core file (src/core.mk).
			mapfile -t -O ${#files[@]} files < <(nepf_core_sources)
		else
			files+=("$NEPF_TOP/$f")
		fi
	done
	if ! clang "${CFLAGS[@]}" "${files[@]}" -o "$bin" > "$log" 2>&1; then
		cat "$log" >&2
		echo "FAIL: fuzz/$t/build"
		rc=1
		continue
	fi

	corpus=$src/corpus/$t
	mkdir -p "$corpus"
	if ASAN_OPTIONS=detect_leaks=1 "$bin" "${RUNFLAGS[@]}" -runs=0 "$corpus" \
		>> "$log" 2>&1; then
		echo "PASS: fuzz/$t/corpus"
	else
		tail -n 30 "$log" >&2
		echo "FAIL: fuzz/$t/corpus"
		rc=1
	fi

	[ "$seconds" -gt 0 ] || continue
	work=$out/work/$t
	art=$out/artifacts/$t
	mkdir -p "$work" "$art"
	if nice "$bin" "${RUNFLAGS[@]}" -max_total_time="$seconds" \
		-artifact_prefix="$art/" "$work" "$corpus" >> "$log" 2>&1; then
		echo "fuzz/$t: $(grep -o 'Done [0-9]* runs' "$log" | tail -n 1 | cut -d' ' -f2) runs in $seconds s"
		echo "PASS: fuzz/$t"
	else
		tail -n 30 "$log" >&2
		echo "fuzz/$t: crashing input in $art/"
		echo "FAIL: fuzz/$t"
		rc=1
	fi
done
rm -f "$out/probe.c" "$out/probe"
exit $rc
