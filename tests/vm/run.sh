#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot Debian's stock arm64 kernel under QEMU TCG with our modules and run
# the guest tests (the loopback: nvme_epf -> vepc -> the stock nvme driver).
#
#   tests/vm/run.sh [SUITE] [options]          SUITE: trixie (6.12) | sid (7.x) |
#                                              6.1 | 5.10 (built from Debian's source)
#     -s, --script PATH      also run PATH in the guest (after the tests)
#     -t, --tests GLOBS      guest tests to run, e.g. "00-* 20-*" (default all;
#                            "none" runs only --script)
#     -p, --packages PKGS    extra Debian packages for the guest
#
# Environment (make vmtest passes these on):
#   GUEST_SCRIPT GUEST_TESTS GUEST_PACKAGES   as the options above
#   VM_TIMEOUT=2400        seconds for the whole guest run
#   VM_SCRIPT_TIMEOUT=600  seconds for each guest script
#   VM_CPU=...             QEMU -cpu model (default: the fastest measured)
#   VM_QEMU_ARGS / VM_APPEND   extra QEMU arguments / kernel command line
#   VM_MODULES             extra stock kernel modules for the guest
#   VM_ALLOW_MISSING_MODULES=1  boot even if nvme_epf.ko/vepc.ko do not build
#   VM_VERBOSE=1           echo the whole guest console
#   VM_SLOTS=2             guests allowed to run at once on this machine
#   VM_INTREE=1|0          build the test-only in-tree modules (tests/intree)
#                          always / never (default: when a selected test needs them)
#   VM_FILES="PATH..."     host files a --script needs, put in /nepf/files/
#   LINKLOSS_LOOPS=N       66-linkloss: N link losses of each down time (default 1)
#   VEPC_DMA=edma|dmaengine|none  the DMA the virtual endpoint controller
#                          offers (default edma: an emulated DesignWare eDMA
#                          block and no dmaengine channel, as a Debian kernel
#                          on a DesignWare board; dmaengine: channels, as a
#                          kernel with DW_EDMA; none: windows only)
#   NEPF_CMB=0|1           every function the guest tests bring up offers a
#                          Controller Memory Buffer (default 0: only 29-cmb)
#
# Prints the guest's PASS/FAIL/SKIP lines as "<suite>/<name>" (and whatever
# a guest script prints between NEPF-SHOW-BEGIN and NEPF-SHOW-END), keeps the
# console in build/vm/<suite>/console.log and the guest kernel log in
# dmesg.txt, and exits non-zero if a case failed, the guest did not finish
# (timeout, panic) or its kernel log shows a splat.
set -u
. "$(dirname "$0")/../infra/common.sh"
vmdir=$NEPF_TOP/tests/vm

suite=trixie
case ${1:-} in -*|"") ;; *) suite=$1; shift ;; esac
GUEST_SCRIPT=${GUEST_SCRIPT:-}
GUEST_TESTS=${GUEST_TESTS:-*}
while [ $# -gt 0 ]; do
	case $1 in
	-s|--script) GUEST_SCRIPT=$2; shift 2 ;;
	-t|--tests) GUEST_TESTS=$2; shift 2 ;;
	-p|--packages) GUEST_PACKAGES="${GUEST_PACKAGES:-} $2"; shift 2 ;;
	*) sed -n '3,/^set -u/p' "$0" | sed '$d'; exit 2 ;;
	esac
done
[ "$GUEST_TESTS" = none ] && GUEST_TESTS=""
export GUEST_PACKAGES=${GUEST_PACKAGES:-}
# The kbuild target our modules are built with: Debian's headers of the
# stock kernel, or the tree of the kernel built from source.
if nepf_kguest_suite "$suite"; then
	ktarget=arm64-vm-$suite
else
	case $suite in
	trixie|sid) ktarget=arm64-$suite ;;
	*) nepf_die "unknown suite '$suite' (trixie, sid, $NEPF_KGUEST_SUITES)" ;;
	esac
fi
[ -z "$GUEST_SCRIPT" ] || [ -f "$GUEST_SCRIPT" ] || nepf_die "no such script: $GUEST_SCRIPT"
VEPC_DMA=${VEPC_DMA:-edma}
case $VEPC_DMA in
edma|dmaengine|none) ;;
*) nepf_die "VEPC_DMA=$VEPC_DMA: edma, dmaengine or none" ;;
esac
case ${NEPF_CMB:-0} in
0|1) ;;
*) nepf_die "NEPF_CMB=$NEPF_CMB: 0 or 1" ;;
esac

out=$NEPF_BUILD/vm/$suite
mkdir -p "$out/kbuild"
start=$(date +%s)
# Runs of the same suite from one checkout may overlap: each works in its
# own directory and copies its logs to $out when it ends.
work=$(mktemp -d "$out/run.XXXXXX") || nepf_die "cannot create a run directory in $out"
trap 'rm -rf "${work:?}"' EXIT

# Result lines go to stdout; a case name gets the suite as prefix.
result() { echo "$1: $suite/$2"; }

nepf_host_install qemu-system-arm cpio xz-utils zstd kmod binutils file >&2 ||
	nepf_die "could not install the host tools"

kernel=$("$vmdir/kernel.sh" "$suite") || nepf_die "no kernel for $suite"
abi=$(cat "$kernel/release")
base=$("$vmdir/rootfs.sh" "$suite" "$kernel") || nepf_die "no guest base for $suite"

# Our modules, built for exactly this kernel.  A build failure is a FAIL
# unless VM_ALLOW_MISSING_MODULES=1 (for working on the harness itself).
overlay=$work/overlay
mkdir -p "$overlay/nepf/guest" "$overlay/nepf/user" "$overlay/usr/lib/modules"
# The stock tree is linked (depmod reads it), its indexes copied (depmod
# rewrites them, the cached base must stay intact).
mkdir -p "$overlay/usr/lib/modules/$abi/updates"
cp -al "$base/modules/kernel" "$overlay/usr/lib/modules/$abi/kernel" 2>/dev/null ||
	cp -a "$base/modules/kernel" "$overlay/usr/lib/modules/$abi/kernel"
cp "$base"/modules/modules.* "$overlay/usr/lib/modules/$abi/"
build_failed=0
# Same sources, same kernel: reuse the last build (a warm cycle should not
# recompile); the module's tree and the build scripts are in the key.
sources_key() {
	local dirs="$1 tests/infra debian/changelog"
	{
		# A kernel built from source (kguest.sh) may change its config
		# under the same release name: its key is part of ours.
		echo "$abi $(cat "$kernel/../key" 2>/dev/null)"
		if git -C "$NEPF_TOP" rev-parse --git-dir > /dev/null 2>&1; then
			(cd "$NEPF_TOP" && git ls-files -co --exclude-standard -- $dirs |
				LC_ALL=C sort | xargs -d '\n' sha256sum 2>/dev/null)
		else
			(cd "$NEPF_TOP" && find $dirs -type f ! -name '*.o' ! -name '*.ko' |
				LC_ALL=C sort | xargs -d '\n' sha256sum)
		fi
	} | sha256sum | cut -c1-16
}
build_module() {
	local src=$1 ko=$2 bdir=$work/kbuild/$2 vermagic cached
	cached=$out/kbuild/$ko-$(sources_key "$src").ko
	if [ -f "$cached" ]; then
		cp "$cached" "$overlay/usr/lib/modules/$abi/updates/$ko.ko"
		result PASS "build-$ko"
		return
	fi
	if [ ! -f "$NEPF_TOP/$src/Kbuild" ]; then
		nepf_log "$src has no Kbuild yet"
	elif ! nice "$NEPF_TOP/tests/infra/kbuild.sh" build "$ktarget" "$NEPF_TOP/$src" \
			"$bdir" > "$work/kbuild-$ko.log" 2>&1; then
		cp "$work/kbuild-$ko.log" "$out/"
		nepf_log "building $src for $ktarget failed (log: $out/kbuild-$ko.log):"
		tail -n 20 "$out/kbuild-$ko.log" >&2
	elif [ ! -f "$bdir/$ko.ko" ]; then
		nepf_log "$src built but $bdir/$ko.ko is missing"
	else
		vermagic=$(modinfo -F vermagic "$bdir/$ko.ko" | cut -d' ' -f1)
		if [ "$vermagic" != "$abi" ]; then
			nepf_log "$ko.ko was built for $vermagic but the guest kernel is $abi"
			result FAIL "kbuild-abi-$ko"
			build_failed=1
			return
		fi
		cp "$bdir/$ko.ko" "$overlay/usr/lib/modules/$abi/updates/"
		rm -f "$out/kbuild/$ko"-*.ko
		cp "$bdir/$ko.ko" "$cached"
		result PASS "build-$ko"
		return
	fi
	if [ "${VM_ALLOW_MISSING_MODULES:-0}" = 1 ]; then
		result SKIP "build-$ko (VM_ALLOW_MISSING_MODULES=1)"
	else
		result FAIL "build-$ko"
		build_failed=1
	fi
}
build_module tests/vepc vepc
build_module src nvme_epf
build_module tests/hostile nvme_hostile
[ "$build_failed" = 0 ] || { nepf_log "not booting: module build failed"; exit 1; }

# TEST-ONLY in-tree modules (tests/intree: pci-ep-cfs, nvmet-pci-epf) from
# Debian's linux-source of this kernel.  VM_INTREE=1 always builds them,
# 0 never; by default only when a selected guest test (or the -s script)
# has the line "# nepf-vm: intree".
intree_wanted() {
	local - f pat scripts
	case ${VM_INTREE:-auto} in 1) return 0 ;; 0) return 1 ;; esac
	scripts=("$vmdir"/guest/[0-9][0-9]-*.sh)
	set -f	# GUEST_TESTS holds patterns, not files here
	for f in "${scripts[@]}"; do
		for pat in $GUEST_TESTS; do
			# shellcheck disable=SC2254
			case $(basename "$f" .sh) in $pat)
				grep -q '^# nepf-vm: intree' "$f" && return 0 ;;
			esac
		done
	done
	[ -n "$GUEST_SCRIPT" ] && grep -q '^# nepf-vm: intree' "$GUEST_SCRIPT"
}
intree_mods=""
if intree_wanted; then
	if idir=$("$NEPF_TOP/tests/intree/build.sh" "$suite" "$abi" 2> "$work/kbuild-intree.log"); then
		cp "$idir"/*.ko "$overlay/usr/lib/modules/$abi/updates/"
		intree_mods=$(cd "$idir" && ls -- *.ko | sed 's/\.ko$//' | tr '\n' ' ')
		result PASS build-intree
	else
		# The guest still boots: the tests that need these modules skip.
		cp "$work/kbuild-intree.log" "$out/"
		tail -n 20 "$work/kbuild-intree.log" >&2
		result FAIL build-intree
	fi
fi
depmod -b "$overlay/usr" "$abi" || nepf_die "depmod failed"

# The per-run part of the initramfs: init, tests, settings, our modules.
cp "$vmdir/init" "$overlay/init"
# (*.txt: data the tests read, such as cost-budget.txt)
cp "$vmdir"/guest/*.sh "$vmdir"/guest/*.txt "$overlay/nepf/guest/"
# (the limits the tool tests' fake module enforces: 30-configfs.sh)
cp "$NEPF_TOP/tests/pkg/kernel-limits" "$overlay/nepf/guest/"
[ -z "$GUEST_SCRIPT" ] || cp "$GUEST_SCRIPT" "$overlay/nepf/user/"
for f in ${VM_FILES:-}; do
	[ -f "$f" ] || nepf_die "VM_FILES: no such file: $f"
	mkdir -p "$overlay/nepf/files"
	cp "$f" "$overlay/nepf/files/"
done
# The project's configuration tool, for the guest tests that drive it.
if [ -f "$NEPF_TOP/scripts/nvme-epf" ]; then
	mkdir -p "$overlay/nepf/scripts"
	cp "$NEPF_TOP/scripts/nvme-epf" "$overlay/nepf/scripts/"
	# and its libraries, which it finds next to itself
	cp -r "$NEPF_TOP/scripts/lib" "$overlay/nepf/scripts/"
fi
{
	printf 'NEPF_SUITE=%q\n' "$suite"
	printf 'NEPF_VERSION=%q\n' "$(nepf_version)"
	printf 'GUEST_TESTS=%q\n' "$GUEST_TESTS"
	printf 'NEPF_MODULES=%q\n' "vepc nvme_epf nvme_hostile"
	printf 'NEPF_INTREE=%q\n' "$intree_mods"
	printf 'VM_SCRIPT_TIMEOUT=%q\n' "${VM_SCRIPT_TIMEOUT:-600}"
	printf 'VM_ALLOW_MISSING_MODULES=%q\n' "${VM_ALLOW_MISSING_MODULES:-0}"
	# Link losses per down time (tests/vm/guest/66-linkloss.sh).
	printf 'LINKLOSS_LOOPS=%q\n' "${LINKLOSS_LOOPS:-1}"
	# The DMA vepc offers (tests/vm/guest/lib.sh: vepc_args).
	printf 'VEPC_DMA=%q\n' "$VEPC_DMA"
	# A CMB in every function nepf_up brings up (tests/vm/guest/lib.sh).
	printf 'NEPF_CMB=%q\n' "${NEPF_CMB:-0}"
} > "$overlay/nepf/env"
chmod +x "$overlay/init"
# The stock modules are already in the base archive: only the new ones and
# the regenerated modules.* indexes go into the per-run archive.
(cd "$overlay" && find . -mindepth 1 \( -path "./usr/lib/modules/$abi/kernel" -prune \) -o \
	-print | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$work/run.cpio" ||
	nepf_die "could not write the per-run archive"
cat "$base/base.cpio" "$work/run.cpio" > "$work/initrd.cpio"

# CPU model: see the measurements in tests/vm/README.md.
cpu=${VM_CPU:-cortex-a72}
# Debian's kernels have no kmemleak; SLUB debugging of our command cache
# (red zones, poisoning, owner tracking) reports a use after free or
# double free of a command, and a command still allocated when the module
# unloads ("Objects remaining"): both are splats below.
# oops=panic: a kernel oops ends the run at once (panic=-1 reboots, QEMU
# -no-reboot exits) instead of leaving a half-dead guest to hang until
# VM_TIMEOUT; the console then ends with the oops and the script's name.
append="console=ttyAMA0 panic=-1 oops=panic mem=1536M quiet loglevel=4 slub_debug=FZPU,nepf_cmd_ctx ${VM_APPEND:-}"
timeout_s=${VM_TIMEOUT:-2400}
# Several checkouts on one 2-core machine: at most VM_SLOTS guests run at
# once (a TCG guest starved of CPU hits the host driver's I/O timeouts).
slot_fd=
while [ -z "$slot_fd" ]; do
	for ((i = 0; i < ${VM_SLOTS:-2}; i++)); do
		mkdir -p "$NEPF_CACHE/locks"
		exec {fd}>"$NEPF_CACHE/locks/qemu.$i"
		if flock -n "$fd"; then slot_fd=$fd; break; fi
		exec {fd}>&-
	done
	[ -n "$slot_fd" ] || sleep 3
done
nepf_log "booting $suite ($abi) under QEMU TCG, -cpu $cpu, timeout ${timeout_s}s, VEPC_DMA=$VEPC_DMA"
boot=$(date +%s)
# shellcheck disable=SC2086
timeout -k 10 "$timeout_s" qemu-system-aarch64 -M virt,gic-version=2 -cpu "$cpu" \
	-smp 4 -m 2G -nographic -no-reboot -nic none \
	-kernel "$kernel/vmlinuz" -initrd "$work/initrd.cpio" -append "$append" \
	${VM_QEMU_ARGS:-} < /dev/null 2>&1 | tr -d '\r' | tee "$work/console.log" |
	awk -v suite="$suite" -v verbose="${VM_VERBOSE:-0}" '
		verbose == 1 { print > "/dev/stderr" }
		/^NEPF-SHOW-END$/ { show = 0; next }
		show { print; fflush(); next }
		/^NEPF-SHOW-BEGIN$/ { show = 1; next }
		/^(PASS|FAIL|SKIP): / { sub(/: /, ": " suite "/"); print; fflush(); next }
		verbose != 1 && /^=== / { print "[guest] " substr($0, 5) > "/dev/stderr" }'
qrc=${PIPESTATUS[0]}
end=$(date +%s)

# Results: the guest's lines, then the harness's own verdicts.
cp "$work/console.log" "$out/console.log"
log=$out/console.log
sed -n "s#^\(PASS\|FAIL\|SKIP\): #\1: $suite/#p" "$log" > "$out/results.txt"
sed -n '/^NEPF-VM-DMESG-BEGIN$/,/^NEPF-VM-DMESG-END$/p' "$log" | sed '1d;$d' > "$out/dmesg.txt"
rc=0
grep -q "^FAIL: " "$out/results.txt" && rc=1

endline=$(grep -a '^NEPF-VM-END ' "$log" | tail -n 1)
if [ -n "$endline" ]; then
	result PASS guest-finished
else
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		nepf_log "guest timed out after ${timeout_s}s"
	else
		nepf_log "guest stopped without the end marker (qemu exit $qrc): panic?"
	fi
	tail -n 30 "$log" >&2
	result FAIL guest-finished
	# Name the script the guest died in (its "=== name" line is the last).
	last=$(grep -a '^=== ' "$log" | tail -n 1 | cut -c5-)
	[ -n "$last" ] && result FAIL "$last (the guest died or hung while it ran)"
	rc=1
fi

# A splat fails the run even if every test passed.
splat='Oops|BUG:|BUG [^ ]+ \(|WARNING:|Call trace|soft lockup|hung_task|blocked for more than|KASAN|UBSAN|Kernel panic'
scan=$out/dmesg.txt
[ -s "$scan" ] || scan=$log
if grep -aE "$splat" "$scan" > "$out/splats.txt"; then
	nepf_log "kernel log has splats (full log: $scan):"
	head -n 20 "$out/splats.txt" >&2
	result FAIL dmesg-clean
	rc=1
else
	result PASS dmesg-clean
fi

# NVMe command timeouts per guest script (init writes "nepf-vm: === name"
# into the kernel log).  A script that causes them on purpose says so with
# a line "# nepf-vm: nvme-timeouts"; anywhere else a timeout means a test
# may have passed only because the host's timeout and reset recovered it.
tmo_by_script() {
	awk '/nepf-vm: === / { s = $NF; next }
	     /nvme nvme[0-9]+: .*timeout/ { n[s]++ }
	     END { for (k in n) print k, n[k] }' "$1" | sort
}
tmo_bad=
while read -r name n; do
	if grep -qx '# nepf-vm: nvme-timeouts' "$vmdir/guest/$name.sh" 2>/dev/null; then
		nepf_log "guest kernel log: $name: $n NVMe command timeouts (on purpose)"
	else
		nepf_log "guest kernel log: $name: $n NVMe command timeouts NOT expected (see $scan)"
		tmo_bad="$tmo_bad $name"
	fi
done < <(tmo_by_script "$scan")
if [ -z "$tmo_bad" ]; then
	result PASS nvme-timeouts-only-where-expected
else
	result FAIL "nvme-timeouts-only-where-expected (in:$tmo_bad)"
	rc=1
fi

init_at=$(sed -n 's/^NEPF-VM-INIT uptime=\([0-9.]*\).*/\1/p' "$log" | head -n 1)
nepf_log "$suite: prepare $((boot - start)) s, guest $((end - boot)) s wall" \
	"(init reached at ${init_at:-?} s guest uptime), ${endline:-no end marker}"
nepf_log "console: $log"
exit $rc
