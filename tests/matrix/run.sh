#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build matrix: the real module (with -Werror) and the compat.h test module
# on every kernel target, sparse, checkpatch, every probe and compat.h name
# used (compat-use.sh), and DKMS refusing kernels without
# CONFIG_PCI_ENDPOINT.  Prints PASS/FAIL/SKIP lines (check tier
# convention) as rows finish, then the table (also build/matrix/table.md).
#
#   tests/matrix/run.sh [ROW...]     default: every row; rows are targets
#                                    (kbuild.sh targets), "vepc-TARGET"
#                                    (the test harness module tests/vepc),
#                                    "sparse", "checkpatch", "compat-use"
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../infra/common.sh"
kb=$here/../infra/kbuild.sh
out=$NEPF_BUILD/matrix
mkdir -p "$out/logs" "$out/probe-cache"

BUILD_ROWS="arm64-trixie arm64-sid arm64-experimental arm64-5.10 arm64-6.1 armhf-6.12 amd64-6.12"
STOCK_ROWS="amd64-5.10-stock amd64-6.1-stock amd64-6.12-stock amd64-7.x-stock"
# vepc on the kernels no VM suite builds it for yet (the VM tier builds it
# for trixie, sid and the 6.1 guest).
VEPC_ROWS="vepc-arm64-5.10"
rows=${*:-$BUILD_ROWS $VEPC_ROWS sparse $STOCK_ROWS checkpatch compat-use}
table=()
declare -A failed
rc=0

verdict() {	# verdict NAME ok|fail|skip [reason]
	case $2 in
	ok) echo "PASS: $1" ;;
	skip) echo "SKIP: $1 (${3:-})" ;;
	*)	echo "FAIL: $1"; rc=1
		case $1 in compat:*) failed[${1#*:}-compat]=1 ;; *) failed[${1#*:}]=1 ;; esac ;;
	esac
}

row() { table+=("| $* |"); }

# Copy a module source dir to a staging dir, with the probe results of an
# earlier run for this target (probe.sh reruns if they do not match).
stage() {	# stage SRC DEST TARGET
	rm -rf "$2" && mkdir -p "$2" && cp -r "$1"/. "$2"/
	rm -f "$2"/*.o "$2"/*.ko "$2"/compat-generated.h
	[ -f "$out/probe-cache/$3.h" ] && cp "$out/probe-cache/$3.h" "$2/compat-generated.h"
	return 0
}

# Compiler warnings from our own files (-Werror turns them into errors).
count_warnings() {	# LOG DIR
	grep -E "^($2/)?[^ :]+\.[ch]:[0-9]+:[0-9]+: (warning|error):" "$1" | sort -u | wc -l
}

# build_one TARGET NAME KO LOG VARS...: build stage/NAME into NAME; the
# probe results are kept for the next run.  Prints pass or fail.
build_one() {
	local t=$1 name=$2 ko=$3 log=$4
	shift 4
	local code=0
	"$kb" build "$t" "$out/stage/$name" "$out/$name" "$@" > "$log" 2>&1 || code=$?
	[ -f "$out/$name/compat-generated.h" ] &&
		cp "$out/$name/compat-generated.h" "$out/probe-cache/$t.h"
	if [ $code -eq 0 ] && [ -f "$out/$name/$ko" ]; then
		echo pass
	else
		echo fail
	fi
}

build_row() {
	local t=$1 s e res cres kv cc w log clog
	log=$out/logs/$t.log clog=$out/logs/$t-compat.log
	local extra=(KCFLAGS=-Werror NEPF_WERROR=1)
	local info
	s=$(date +%s)
	if ! "$kb" prepare "$t" > "$out/logs/$t-prepare.log" 2>&1; then
		e=$(( $(date +%s) - s ))
		row "$t | ? | ? | prepare failed | - | - | $e"
		[ "$t" = arm64-experimental ] && verdict "matrix:$t" skip "could not prepare" ||
			verdict "matrix:$t" fail
		return
	fi
	info=$("$kb" info "$t")
	kv=$(echo "$info" | cut -f1) cc=$(echo "$info" | cut -f2)
	[ "$(echo "$info" | cut -f3)" = source ] && extra+=(KBUILD_MODPOST_WARN=1)
	# The real module, then the compat.h test module (with the real
	# module's Makefile and probes).
	stage "$NEPF_TOP/src" "$out/stage/$t" "$t"
	res=$(build_one "$t" "$t" nvme_epf.ko "$log" "${extra[@]}")
	w=$(count_warnings "$log" "$out/$t")
	# Without Module.symvers modpost only warns; our own symbols must resolve.
	grep -q 'WARNING: modpost: "nepf_[^"]*" .* undefined' "$log" && res=fail
	stage "$here/compat-test" "$out/stage/$t-compat" "$t"
	cp -r "$NEPF_TOP/src/compat.h" "$NEPF_TOP/src/Makefile" "$NEPF_TOP/src/probe" \
		"$out/stage/$t-compat/"
	cres=$(build_one "$t" "$t-compat" nepf_compat_test.ko "$clog" "${extra[@]}")
	e=$(( $(date +%s) - s ))
	local note=""
	[ "$(echo "$info" | cut -f3)" = source ] &&
		note="modpost: $(grep -c 'WARNING: modpost: .*undefined' "$log") undefined (no Module.symvers)"
	[ "$t" = arm64-experimental ] && note="${note:+$note; }allowed to fail"
	row "$t | $kv | $cc | $res | $w | compat: $cres | $e${note:+ ($note)}"
	if [ "$t" = arm64-experimental ] && [ $res = fail ]; then
		verdict "matrix:$t" skip "experimental kernel, allowed to fail: see $log"
	else
		[ $res = pass ] && verdict "matrix:$t" ok || verdict "matrix:$t" fail
	fi
	if [ "$t" = arm64-experimental ] && [ $cres = fail ]; then
		verdict "compat:$t" skip "experimental kernel, allowed to fail: see $clog"
	else
		[ $cres = pass ] && verdict "compat:$t" ok || verdict "compat:$t" fail
	fi
}

# Names the kernel exports through macros (EXPORT_SYMBOL(func) inside
# define_dev_printk_level(), EXPORT_SYMBOL(param_ops_##name), ...), which
# the literal search in unexported_syms cannot see.
MACRO_EXPORTS='^(_dev_(emerg|alert|crit|err|warn|notice|info)|param_ops_[a-z]+|get_random_(u8|u16|u32|u64|int|long)|__tracepoint_.*|__traceiter_.*)$'

# A source tree has no Module.symvers, so modpost cannot tell whether a
# module's undefined symbols are exported.  Print those that no
# EXPORT_SYMBOL*() in the tree names (a module using them builds but does
# not load: 5.10 does not export pci_find_host_bridge(), for example).
unexported_syms() {	# TARGET KO
	local kdir; kdir=$("$kb" kdir "$1")
	comm -23 <("$kb" shell "$1" sh -c '"${CROSS_COMPILE}nm" -u "$0"' "$2" |
			awk '{print $NF}' | grep -Ev "$MACRO_EXPORTS" | sort -u) \
		<(grep -rhoE --include='*.[chS]' 'EXPORT_SYMBOL[A-Z_]*\(\s*[A-Za-z0-9_]+\s*[,)]' \
			"$kdir" | sed -E 's/.*\(\s*//; s/\s*[,)]$//' | sort -u)
}

# vepc-TARGET: tests/vepc with -Werror against TARGET's tree; on a source
# tree also every undefined symbol exported (unexported_syms).
vepc_row() {
	local r=$1 t=${1#vepc-} log=$out/logs/$1.log s e res kind missing="" w
	s=$(date +%s)
	if ! "$kb" prepare "$t" > "$out/logs/$r-prepare.log" 2>&1; then
		row "$r | ? | ? | prepare failed | - | - | $(( $(date +%s) - s ))"
		verdict "matrix:$r" fail
		return
	fi
	kind=$("$kb" info "$t" | cut -f3)
	stage "$NEPF_TOP/tests/vepc" "$out/stage/$r" "$r"
	local extra=(KCFLAGS=-Werror)
	[ "$kind" = source ] && extra+=(KBUILD_MODPOST_WARN=1)
	res=$(build_one "$t" "$r" vepc.ko "$log" "${extra[@]}")
	w=$(count_warnings "$log" "$out/$r")
	if [ $res = pass ] && [ "$kind" = source ]; then
		missing=$(unexported_syms "$t" "$out/$r/vepc.ko" | paste -sd ' ')
		if [ -n "$missing" ]; then
			echo "error: undefined symbols that no EXPORT_SYMBOL names: $missing" >> "$log"
			res=fail
		fi
	fi
	e=$(( $(date +%s) - s ))
	row "$r | $("$kb" info "$t" | cut -f1) | $("$kb" info "$t" | cut -f2) | $res | $w | - | $e${missing:+ (not exported: $missing)}"
	[ $res = pass ] && verdict "matrix:$r" ok || verdict "matrix:$r" fail
}

# sparse (C=1) on arm64-trixie: no sparse warnings from our files allowed.
sparse_row() {
	local t=arm64-trixie log=$out/logs/sparse.log s e n res
	s=$(date +%s)
	# Prepare's output goes to the log too: a row that fails must say why.
	"$kb" prepare "$t" > "$log" 2>&1
	"$kb" shell "$t" sparse --version >> "$log" 2>&1
	stage "$NEPF_TOP/src" "$out/stage/sparse" "$t"
	"$kb" build "$t" "$out/stage/sparse" "$out/sparse" C=1 >> "$log" 2>&1
	echo "kbuild.sh build exit $?" >> "$log"
	# gcc's warnings end in [-Wsomething]; sparse's do not.
	n=$(grep -E "^($out/sparse/)?[^ :]+\.[ch]:[0-9]+:[0-9]+: (warning|error):" "$log" |
		grep -vc '\[-W[^]]*\]$')
	if grep -q ' CHECK ' "$log" && [ "$n" -eq 0 ] && [ -f "$out/sparse/nvme_epf.ko" ]; then
		res=pass
	else
		res=fail
	fi
	e=$(( $(date +%s) - s ))
	row "sparse (C=1, $t) | $("$kb" info $t | cut -f1) | sparse $("$kb" shell $t sparse --version 2>/dev/null) | $res | $n | - | $e"
	[ $res = pass ] && verdict "sparse" ok || { verdict "sparse" fail; tail -n 25 "$log" | sed 's/^/    | /'; }
}

# DKMS on a stock kernel without CONFIG_PCI_ENDPOINT must skip (exit 77)
# or refuse with src/Makefile's message, never reach the compiler.
stock_row() {
	local t=$1 log=$out/logs/$1.log s e kv kdir dk res ver=0.0matrix code dkv
	s=$(date +%s)
	if ! "$kb" prepare "$t" > "$out/logs/$t-prepare.log" 2>&1; then
		row "$t | ? | dkms | prepare failed | - | - | 0"; verdict "dkms-refuses:$t" fail; return
	fi
	kv=$("$kb" info "$t" | cut -f1)
	kdir=$("$kb" kdir "$t")
	dk=$out/dkms/$t
	rm -rf "$dk" && mkdir -p "$dk/src/nvme-epf-$ver" "$dk/tree"
	cp -r "$NEPF_TOP/src" "$dk/src/nvme-epf-$ver/"
	sed "s/#MODULE_VERSION#/$ver/" "$NEPF_TOP/dkms.conf" > "$dk/src/nvme-epf-$ver/dkms.conf"
	dkv=$("$kb" shell "$t" dkms --version 2>/dev/null | tail -n 1)
	"$kb" shell "$t" sh -c "dkms add -m nvme-epf -v $ver --sourcetree $dk/src --dkmstree $dk/tree &&
		dkms build -m nvme-epf -v $ver -k $kv --kernelsourcedir $kdir \
			--sourcetree $dk/src --dkmstree $dk/tree" > "$log" 2>&1
	code=$?
	# Whatever dkms did, the build log shows whether a compiler ran.
	cat "$dk"/tree/nvme-epf/$ver/build/make.log >> "$log" 2>/dev/null
	if [ $code -eq 77 ]; then
		res="skipped (exit 77)"
	elif grep -q 'built without CONFIG_PCI_ENDPOINT' "$log" && ! grep -q ' CC \[M\]' "$log"; then
		res="refused by src/Makefile (exit $code)"
	else
		res="FAILED (exit $code)"
	fi
	e=$(( $(date +%s) - s ))
	row "$t | $kv | $dkv | $res | - | - | $e"
	case $res in FAILED*) verdict "dkms-refuses:$t" fail ;; *) verdict "dkms-refuses:$t" ok ;; esac
}

checkpatch_row() {
	local log=$out/logs/checkpatch.log s e
	s=$(date +%s)
	bash "$here/checkpatch.sh" > "$log" 2>&1
	local code=$? summary
	summary=$(tail -n 1 "$log")
	e=$(( $(date +%s) - s ))
	row "checkpatch --strict | 6.12 | - | $([ $code -eq 0 ] && echo pass || echo fail) | $summary | - | $e"
	[ $code -eq 0 ] && verdict checkpatch ok || verdict checkpatch fail
}

# No probe without a user in compat.h, no compat.h name without one in src/.
compat_use_row() {
	local log=$out/logs/compat-use.log s e code
	s=$(date +%s)
	bash "$here/compat-use.sh" "$NEPF_TOP/src" > "$log" 2>&1
	code=$?
	e=$(( $(date +%s) - s ))
	row "compat-use | - | - | $([ $code -eq 0 ] && echo pass || echo fail) | $(tail -n 1 "$log") | - | $e"
	[ $code -eq 0 ] && verdict compat-use ok || { verdict compat-use fail; sed 's/^/    | /' "$log"; }
}

start=$(date +%s)
for r in $rows; do
	case $r in
	sparse) sparse_row ;;
	checkpatch) checkpatch_row ;;
	compat-use) compat_use_row ;;
	vepc-*) vepc_row "$r" ;;
	*-stock) stock_row "$r" ;;
	*) build_row "$r" ;;
	esac
done

{
	echo "| target | kernel | compiler | result | warnings | compat.h test | seconds |"
	echo "|---|---|---|---|---|---|---|"
	printf '%s\n' "${table[@]}"
	echo
	echo "Total: $(( $(date +%s) - start )) s. Logs: $out/logs/"
	for l in "$out"/logs/*.log; do
		[ -n "${failed[$(basename "$l" .log)]:-}" ] || continue
		echo "- $(basename "$l" .log): $(grep -m1 -E '(error|ERROR)[: ]' "$l" | cut -c1-160)"
	done
} > "$out/table.md"
cat "$out/table.md"
exit $rc
