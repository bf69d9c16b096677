#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel build targets: cached toolchain roots and kernel trees.
#
#   kbuild.sh prepare TARGET                  cache everything TARGET needs
#   kbuild.sh build TARGET SRCDIR OUTDIR [VAR=value...]
#                                             build SRCDIR as an external module
#   kbuild.sh kdir TARGET                     print the kernel tree (host path)
#   kbuild.sh shell TARGET CMD...             run CMD in TARGET's root with
#                                             ARCH, CROSS_COMPILE and KDIR set
#   kbuild.sh targets                         list the targets
#
# Trees live in $NEPF_CACHE/kernels/<target>; roots in $NEPF_CACHE/roots/<suite>.
# Paths are the same inside a root as on the host (bind mounts), so KDIR and
# OUTDIR can be passed around freely.
set -eu
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/roots.sh"
. "$(dirname "$0")/ktree.sh"
. "$(dirname "$0")/kguest.sh"

# target -> root suite, kind (headers: Debian's headers; source: a tree
# prepared from linux-source-* with the endpoint options; stock: Debian's
# amd64 headers, endpoint off, only for the DKMS refusal test), kernel
# suite, flavour, ARCH, CROSS_COMPILE; guest: a whole kernel built from
# linux-source-* for the VM tier, kguest.sh).
nepf_target() {
	case $1 in
	arm64-trixie)	set -- trixie headers trixie arm64 arm64 aarch64-linux-gnu- ;;
	arm64-sid)	set -- sid headers sid arm64 arm64 aarch64-linux-gnu- ;;
	arm64-experimental) set -- sid headers experimental arm64 arm64 aarch64-linux-gnu- ;;
	arm64-5.10)	set -- bullseye source bullseye arm64 arm64 aarch64-linux-gnu- ;;
	arm64-6.1)	set -- bookworm source bookworm arm64 arm64 aarch64-linux-gnu- ;;
	arm64-vm-5.10)	set -- bullseye guest bullseye arm64 arm64 aarch64-linux-gnu- ;;
	arm64-vm-6.1)	set -- bookworm guest bookworm arm64 arm64 aarch64-linux-gnu- ;;
	armhf-6.12)	set -- trixie source trixie armmp arm arm-linux-gnueabihf- ;;
	amd64-6.12)	set -- trixie source trixie amd64 x86_64 "" ;;
	amd64-5.10-stock) set -- bullseye stock bullseye amd64 x86_64 "" ;;
	amd64-6.1-stock) set -- bookworm stock bookworm amd64 x86_64 "" ;;
	amd64-6.12-stock) set -- trixie stock trixie amd64 x86_64 "" ;;
	amd64-7.x-stock) set -- sid stock sid amd64 x86_64 "" ;;
	*) nepf_die "unknown target '$1' (see: kbuild.sh targets)" ;;
	esac
	T_ROOT=$1 T_KIND=$2 T_SUITE=$3 T_FLAVOUR=$4 T_ARCH=$5 T_CROSS=$6
}
NEPF_TARGETS="arm64-trixie arm64-sid arm64-experimental arm64-5.10 arm64-6.1 armhf-6.12
arm64-vm-5.10 arm64-vm-6.1 amd64-6.12 amd64-5.10-stock amd64-6.1-stock amd64-6.12-stock amd64-7.x-stock"

nepf_target_dir() { echo "$NEPF_CACHE/kernels/$1"; }

nepf_prepare() {
	local target=$1 dir
	nepf_target "$target"
	dir=$(nepf_target_dir "$target")
	nepf_root "$T_ROOT"
	if [ "$T_KIND" = guest ]; then
		# Rebuilt when the Debian kernel, its source or the recipe changes.
		local key; key=$(nepf_kguest_key "$target") || nepf_die "no key for $target"
		[ "$(cat "$dir/key" 2>/dev/null)" = "$key" ] ||
			nepf_locked "kernel-$target" nepf_kguest_ensure "$target" "$dir" "$key"
	elif [ ! -e "$dir/.complete" ]; then
		nepf_locked "kernel-$target" nepf_ktree_prepare "$target" "$dir"
	fi
	[ -e "$dir/.complete" ] || nepf_die "could not prepare $target"
	# The tree may come from an older cache while the root was rebuilt.
	nepf_root_install "$T_ROOT" $(cat "$dir/root-packages")
}

nepf_kdir() {
	local dir; dir=$(nepf_target_dir "$1")
	[ -e "$dir/.complete" ] || nepf_die "target $1 is not prepared (kbuild.sh prepare $1)"
	cat "$dir/kdir"
}

# Run a command in the target's root with its toolchain first in PATH.
nepf_target_run() {
	local target=$1 paths=$2; shift 2
	local dir kdir
	nepf_target "$target"
	dir=$(nepf_target_dir "$target")
	kdir=$(nepf_kdir "$target")
	nepf_root_run "$T_ROOT" "$paths" /usr/bin/env \
		PATH="$dir/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		ARCH="$T_ARCH" CROSS_COMPILE="$T_CROSS" KDIR="$kdir" LC_ALL=C.UTF-8 \
		HOME=/root "$@"
}

nepf_build() {
	local target=$1 src=$2 out=$3; shift 3
	[ -f "$src/Kbuild" ] || nepf_die "$src has no Kbuild file"
	nepf_prepare "$target" >&2
	src=$(cd "$src" && pwd)
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	if [ "$src" != "$out" ]; then
		# OUTDIR gets emptied: it must be empty, an earlier kbuild.sh
		# output (marked), or below the build directory; nothing else.
		case $out/ in
		"$NEPF_BUILD"/?*/) ;;
		*)	[ -e "$out/.nepf-kbuild-out" ] || [ -z "$(ls -A "$out")" ] ||
				nepf_die "refusing to empty $out: not a kbuild.sh output directory" ;;
		esac
		case $NEPF_TOP/ in "${out%/}"/*) nepf_die "refusing to empty $out" ;; esac
		# Copy the sources (not build products) so stale objects never mix in.
		rm -rf --one-file-system -- "$out" && mkdir -p "$out"
		tar -C "$src" --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' -cf - . |
			tar -C "$out" -xf -
	fi
	touch "$out/.nepf-kbuild-out"
	local kdir; kdir=$(nepf_kdir "$target")
	local jobs=${NEPF_JOBS:-2}
	# The copy has no debian/changelog: src/Makefile gets the version here.
	local vars=(ARCH="$T_ARCH" CROSS_COMPILE="$T_CROSS" KDIR="$kdir"
		    NEPF_VERSION="$(nepf_version)")
	if [ -f "$out/Makefile" ] && grep -q '^modules:' "$out/Makefile"; then
		nepf_target_run "$target" "$out" nice make -j"$jobs" -C "$out" "${vars[@]}" "$@" modules
	else
		nepf_target_run "$target" "$out" nice make -j"$jobs" -C "$kdir" M="$out" "${vars[@]}" \
			"$@" modules
	fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
prepare) [ $# -eq 1 ] || nepf_die "usage: kbuild.sh prepare TARGET"; nepf_prepare "$1" ;;
build)	[ $# -ge 3 ] || nepf_die "usage: kbuild.sh build TARGET SRCDIR OUTDIR [VAR=value...]"
	nepf_build "$@" ;;
kdir)	[ $# -eq 1 ] || nepf_die "usage: kbuild.sh kdir TARGET"; nepf_target "$1"; nepf_kdir "$1" ;;
shell)	[ $# -ge 2 ] || nepf_die "usage: kbuild.sh shell TARGET CMD..."
	t=$1; shift; nepf_prepare "$t" >&2; nepf_target_run "$t" "$PWD" "$@" ;;
info)	[ $# -eq 1 ] || nepf_die "usage: kbuild.sh info TARGET"; nepf_target "$1"
	cat "$(nepf_target_dir "$1")/info" ;;
targets) echo "$NEPF_TARGETS" | tr ' ' '\n' ;;
*)	sed -n '3,/^set -eu/p' "$0" | sed '$d'; exit 2 ;;
esac
