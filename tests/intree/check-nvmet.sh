#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Does the nvmet.h that nvmet-pci-epf.ko was compiled with describe the
# guest's stock nvmet.ko?  Debian's arm64 kernels have no MODVERSIONS (every
# CRC in Module.symvers is 0, so modpost and the module loader cannot tell),
# but both modules carry BTF over the same base (the headers' vmlinux):
# every struct and union that nvmet.h defines and both modules describe
# must have the same members at the same offsets with the same sizes.
#
#   tests/intree/check-nvmet.sh SUITE ABI NVMET_PCI_EPF_KO NVMET_H
#
# Prints one line per type compared; exits 1 on any difference or when
# fewer than 5 types could be compared (a check that compares nothing
# must not pass).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../infra/common.sh"

suite=${1:?} abi=${2:?} ours=${3:?} nvmet_h=${4:?}
target=arm64-$suite
kbuild=$NEPF_TOP/tests/infra/kbuild.sh
kernel=$(VM_KERNEL_ABI=$abi "$NEPF_TOP/tests/vm/kernel.sh" "$suite") ||
	nepf_die "no stock kernel $abi"
stock=$(find "$kernel/lib/modules/$abi" -name 'nvmet.ko*' | head -n 1)
[ -n "$stock" ] || nepf_die "no nvmet.ko in $kernel"
base=$("$kbuild" kdir "$target")/vmlinux
[ -f "$base" ] || nepf_die "no $base (BTF base) in the $target headers"

tmp=$(mktemp -d "$NEPF_BUILD/check-nvmet.XXXXXX")
trap 'rm -rf "${tmp:?}"' EXIT
case $stock in
*.xz) xz -dc "$stock" > "$tmp/nvmet.ko" ;;
*.zst) zstd -qdc "$stock" > "$tmp/nvmet.ko" ;;
*) cp "$stock" "$tmp/nvmet.ko" ;;
esac
cp "$ours" "$tmp/ours.ko"

types=$(sed -n 's/^\(struct\|union\) \([a-z0-9_]*\) {.*/\2/p' "$nvmet_h" | sort -u)
same=0 diff=0
for t in $types; do
	"$kbuild" shell "$target" pahole -F btf --btf_base "$base" -C "$t" "$tmp/nvmet.ko" \
		> "$tmp/stock.$t" 2>/dev/null || true
	"$kbuild" shell "$target" pahole -F btf --btf_base "$base" -C "$t" "$tmp/ours.ko" \
		> "$tmp/ours.$t" 2>/dev/null || true
	if [ ! -s "$tmp/stock.$t" ] || [ ! -s "$tmp/ours.$t" ]; then
		echo "not in both: $t"
	elif cmp -s "$tmp/stock.$t" "$tmp/ours.$t"; then
		echo "same layout: $t ($(sed -n 's/.*size: \([0-9]*\),.*/\1/p' "$tmp/ours.$t") bytes)"
		same=$((same + 1))
	else
		echo "DIFFERENT: $t"
		diff -u "$tmp/stock.$t" "$tmp/ours.$t" | sed 's/^/    /' | head -n 40 || true
		diff=$((diff + 1))
	fi
done
echo "nvmet.h vs stock nvmet.ko: $same types identical, $diff different"
[ "$diff" = 0 ] && [ "$same" -ge 5 ]
