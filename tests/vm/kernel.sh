#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch and unpack Debian's stock arm64 kernel (image + modules) for a suite,
# or, for 6.1 and 5.10 (Debian's are built without CONFIG_PCI_ENDPOINT),
# build one from Debian's linux-source (tests/infra/kguest.sh).
#
#   tests/vm/kernel.sh SUITE      prints the kernel directory
#
# The directory holds vmlinuz, its config, the kernel release in "release" and the
# modules tree under lib/modules/<release>/ (still compressed, as shipped).
# It is cached under $NEPF_CACHE/vm/kernel/<abi>/ and reused when complete.
set -eu
. "$(dirname "$0")/../infra/common.sh"

suite=${1:-trixie}
if nepf_kguest_suite "$suite"; then
	"$NEPF_TOP/tests/infra/kbuild.sh" prepare "arm64-vm-$suite" >&2 ||
		nepf_die "could not build the $suite guest kernel"
	echo "$NEPF_CACHE/kernels/arm64-vm-$suite/guest"
	exit 0
fi
# VM_KERNEL_ABI pins a kernel; without the archive (offline, broken apt
# state) the kernel this suite used last time is taken from the cache.
abi=${VM_KERNEL_ABI:-$(nepf_kernel_abi "$suite" 2>/dev/null || true)}
last=$NEPF_CACHE/vm/kernel/$suite.last
if [ -z "$abi" ] && [ -s "$last" ]; then
	abi=$(cat "$last")
	nepf_log "warning: no kernel ABI from the $suite archive; using the cached $abi"
fi
[ -n "$abi" ] || nepf_die "no arm64 kernel ABI found for suite $suite"
dir=$NEPF_CACHE/vm/kernel/$abi
mkdir -p "$NEPF_CACHE/vm/kernel"
echo "$abi" > "$last"
if [ -e "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

nepf_log "fetching Debian $suite arm64 kernel $abi"
rm -rf "$dir" "$dir.tmp"
mkdir -p "$dir.tmp/debs" "$dir.tmp/root"
cd "$dir.tmp/debs"

# Until 6.x the image package holds everything; 7.x split it into a
# metapackage pulling linux-binary-<abi> (vmlinuz), linux-modules-<abi> and
# linux-base-<abi> (modules.builtin*, config).
pkgs=("linux-image-$abi:arm64")
deps=$(nepf_apt_cache "$suite" show "linux-image-$abi:arm64" 2>/dev/null |
	sed -n 's/^Depends: //p' | head -n 1 | tr ',' '\n' |
	sed -n 's/^ *\(linux-\(binary\|modules\|base\)-[^ ]*\).*/\1/p')
for p in $deps; do
	pkgs+=("$p:arm64")
done
nepf_apt "$suite" download -q "${pkgs[@]}" >&2 || nepf_die "download of ${pkgs[*]} failed"
for deb in *.deb; do
	dpkg-deb -x "$deb" ../root
done
cd ../root

vmlinuz=$(find . -path '*/boot/vmlinuz-*' -o -path '*/modules/*/vmlinuz' | head -n 1)
[ -n "$vmlinuz" ] || nepf_die "no vmlinuz in ${pkgs[*]}"
moddir=$(find . -maxdepth 4 -type d -path '*/lib/modules/*' -name "$abi" | head -n 1)
[ -n "$moddir" ] || nepf_die "no modules directory for $abi in ${pkgs[*]}"
mv "$vmlinuz" ../vmlinuz
config=$(find . -path "*/boot/config-$abi" -o -path "*/modules/$abi/config" | head -n 1)
[ -z "$config" ] || cp "$config" ../config
mkdir -p ../lib/modules
mv "$moddir" "../lib/modules/$abi"
echo "$abi" > ../release
cd ..
# Debian generates modules.dep in postinst; the image builder needs it.
depmod -b "$PWD" "$abi" || nepf_die "depmod failed for $abi"

rm -rf debs root
cd /
mv "$dir.tmp" "$dir"
touch "$dir/.complete"
nepf_log "kernel $abi ready in $dir"
echo "$dir"
