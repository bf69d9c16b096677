#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the .debs (nvme-epf-dkms, nvme-epf-utils) into build/pkg/ and run
# lintian on them (build/pkg/lintian.log).  Exit 1 on a lintian error.
set -eu
. "$(dirname "$0")/lib.sh"

nepf_host_install debhelper dh-dkms dkms lintian fakeroot
ver=$(pkg_version)
work=$PKG_OUT/deb-work
pkg_stage "$work/nvme-epf-$ver"
nepf_log "building nvme-epf $ver .debs"
(cd "$work/nvme-epf-$ver" && dpkg-buildpackage -b -us -uc -rfakeroot >"$work/build.log" 2>&1) ||
	{ tail -n 30 "$work/build.log" >&2; nepf_die "dpkg-buildpackage failed ($work/build.log)"; }
rm -f "$PKG_OUT"/nvme-epf-*.deb
mv "$work"/nvme-epf-*_"$ver"_all.deb "$PKG_OUT/"
ls "$PKG_OUT"/nvme-epf-*.deb
# An explicit profile: the vendor lookup needs /etc/dpkg/origins/default.
# Lintian exits 0 only if it ran and found no error (a crash is a failure).
lrc=0
lintian --profile debian --tag-display-limit 0 -I "$PKG_OUT"/nvme-epf-*_"$ver"_all.deb \
	>"$PKG_OUT/lintian.log" 2>&1 || lrc=$?
cat "$PKG_OUT/lintian.log" >&2
[ "$lrc" = 0 ] && ! grep -q '^E: ' "$PKG_OUT/lintian.log"
