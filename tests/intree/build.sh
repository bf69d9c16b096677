#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the TEST-ONLY in-tree modules for a guest kernel: pci-ep-cfs.ko
# (drivers/pci/endpoint/pci-ep-cfs.c) and, where the kernel's source has
# it (7.x), nvmet-pci-epf.ko (drivers/nvme/target/pci-epf.c), from Debian's
# linux-source of exactly that kernel, against the same prepared headers
# tests/vm/run.sh builds vepc.ko and nvme_epf.ko with.
#
#   tests/intree/build.sh SUITE ABI       prints the directory holding the .ko files
#
# SUITE is trixie or sid (kbuild target arm64-SUITE), or 6.1 or 5.10 (the
# guest kernel built from source, target arm64-vm-SUITE); ABI the guest
# kernel (e.g. 7.2.13+deb14-arm64); the target's headers must be that kernel.
# Reuses the last build while tests/intree/ and the source are unchanged.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../infra/common.sh"

suite=${1:?usage: build.sh SUITE ABI}
abi=${2:?usage: build.sh SUITE ABI}
kbuild=$NEPF_TOP/tests/infra/kbuild.sh
case $suite in
trixie|sid) target=arm64-$suite ;;
6.1|5.10) target=arm64-vm-$suite ;;
*) nepf_die "unknown suite '$suite' (trixie, sid, 6.1 or 5.10)" ;;
esac
"$kbuild" prepare "$target" >&2 || nepf_die "cannot prepare $target"
if [ "$("$kbuild" info "$target" | cut -f3)" = guest ]; then
	# The guest kernel was built from source (tests/infra/kguest.sh): its
	# build tree links the whole source.
	src=$(readlink -f "$("$kbuild" kdir "$target")/source")
	srcver="$(basename "$src") $(cat "$NEPF_CACHE/kernels/$target/key")"
else
	src=$("$here/source.sh" "$suite" "$abi") || nepf_die "no kernel source for $abi"
	srcver=$(cat "$src/version")
fi
headers_abi=$("$kbuild" info "$target" | cut -f1)
[ "$headers_abi" = "$abi" ] ||
	nepf_die "$target headers are $headers_abi but the guest kernel is $abi"

key=$( (echo "$abi"; echo "$srcver"; cd "$here" &&
	find . -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-16)
out=$NEPF_BUILD/intree/$suite/ko-$key
if [ -e "$out/.complete" ]; then
	echo "$out"
	exit 0
fi
work=$NEPF_BUILD/intree/$suite/work
rm -rf "$NEPF_BUILD/intree/$suite"
mkdir -p "$work" "$out"

# pci-ep-cfs: the kernel's file minus its module_init/module_exit lines
# and the __exit of its exit function (pci-ep-cfs-mod.c has the entry
# points).  Each edit must apply exactly once.
d=$work/pci-ep-cfs
cp -r "$here/pci-ep-cfs" "$d"
kfile=$src/drivers/pci/endpoint/pci-ep-cfs.c
for line in '^module_init(pci_ep_cfs_init);$' '^module_exit(pci_ep_cfs_exit);$' \
	    '^static void __exit pci_ep_cfs_exit(void)$'; do
	[ "$(grep -c "$line" "$kfile")" = 1 ] ||
		nepf_die "$kfile: expected exactly one line matching $line"
done
sed -e '/^module_init(pci_ep_cfs_init);$/d' -e '/^module_exit(pci_ep_cfs_exit);$/d' \
	-e 's/^static void __exit pci_ep_cfs_exit(void)$/static void pci_ep_cfs_exit(void)/' \
	"$kfile" > "$d/pci-ep-cfs-kernel.c"
"$kbuild" build "$target" "$d" "$d" >&2 || nepf_die "pci-ep-cfs.ko did not build"
cp "$d/pci-ep-cfs.ko" "$out/"

# nvmet-pci-epf: next to the nvmet.h of the same source (the stock
# nvmet.ko was built from it: check-nvmet.sh), with one fix
# (nvmet-pci-epf/null-connect-sq.patch: the stock nvmet.ko oopses on the
# NULL args->sq of this transport when it has CONFIG_NVME_TARGET_TCP_TLS).
if [ -f "$src/drivers/nvme/target/pci-epf.c" ]; then
	d=$work/nvmet-pci-epf
	cp -r "$here/nvmet-pci-epf" "$d"
	cp "$src/drivers/nvme/target/pci-epf.c" "$src/drivers/nvme/target/nvmet.h" "$d/"
	patch --no-backup-if-mismatch --fuzz=0 -s -p4 -d "$d" < "$here/nvmet-pci-epf/null-connect-sq.patch" >&2 ||
		nepf_die "null-connect-sq.patch does not apply to $srcver"
	"$kbuild" build "$target" "$d" "$d" >&2 || nepf_die "nvmet-pci-epf.ko did not build"
	"$here/check-nvmet.sh" "$suite" "$abi" "$d/nvmet-pci-epf.ko" "$d/nvmet.h" \
		> "$work/check-nvmet.txt" || {
		cat "$work/check-nvmet.txt" >&2
		nepf_die "nvmet.h of $srcver does not match the stock nvmet.ko"
	}
	tail -n 1 "$work/check-nvmet.txt" >&2
	cp "$d/nvmet-pci-epf.ko" "$work/check-nvmet.txt" "$out/"
else
	nepf_log "$srcver has no drivers/nvme/target/pci-epf.c: no nvmet-pci-epf"
fi
for ko in "$out"/*.ko; do
	[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$abi" ] ||
		nepf_die "$ko was not built for $abi"
done
echo "$srcver" > "$out/source-version"
touch "$out/.complete"
echo "$out"
