#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The few kernel source files the test-only in-tree modules are built from,
# taken from Debian's linux-source package of exactly the guest kernel's
# version (the one its linux-headers-<abi> package was built from).
#
#   tests/intree/source.sh SUITE ABI       prints the extracted tree
#
# The tree ($NEPF_CACHE/intree/src/linux-source-<series>_<version>/) holds
# drivers/pci/endpoint/, drivers/nvme/target/, include/linux/pci-ep*.h and
# Documentation/nvme/ as shipped (Debian's patches applied); the 150 MB
# package is removed once they are extracted.
set -eu
. "$(dirname "$0")/../infra/common.sh"

suite=${1:?usage: source.sh SUITE ABI}
abi=${2:?usage: source.sh SUITE ABI}
series=$(echo "$abi" | cut -d. -f1,2)
pkg=linux-source-$series

nepf_apt_update "$suite"
# The kernel's source package version, e.g. 7.2.13-1 for 7.2.13+deb14-arm64.
ver=$(nepf_apt_cache "$suite" show "linux-headers-$abi:arm64" 2>/dev/null |
	sed -n 's/^Version: //p' | head -n 1)
[ -n "$ver" ] || nepf_die "linux-headers-$abi is not in $suite: cannot tell its source version"
out=$NEPF_CACHE/intree/src/${pkg}_$ver
if [ -e "$out/.complete" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$NEPF_CACHE/intree/src"
exec 9>"$out.lock"
flock 9
if [ ! -e "$out/.complete" ]; then
	rm -rf "${out:?}.tmp"
	mkdir -p "$out.tmp/deb"
	nepf_log "fetching $pkg=$ver ($suite) for the in-tree test modules"
	# Exactly that version: another one would not match the guest's nvmet.ko.
	(cd "$out.tmp/deb" && nepf_apt "$suite" download -q "$pkg=$ver" >&2) ||
		nepf_die "$pkg=$ver is not downloadable from $suite (the guest kernel is $abi)"
	dpkg-deb --fsys-tarfile "$out.tmp/deb/${pkg}"_*.deb |
		tar -xOf - "./usr/src/$pkg.tar.xz" |
		tar -C "$out.tmp" --strip-components=1 -xJf - --wildcards \
			"$pkg/drivers/pci/endpoint/*" "$pkg/drivers/nvme/target/*" \
			"$pkg/include/linux/pci-ep*" "$pkg/Documentation/nvme/*" ||
		nepf_die "could not extract $pkg"
	rm -rf "$out.tmp/deb"
	echo "$pkg $ver" > "$out.tmp/version"
	touch "$out.tmp/.complete"
	mv "$out.tmp" "$out"
fi
echo "$out"
