#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the noarch RPMs (nvme-epf, nvme-epf-utils) on this Debian machine
# with rpmbuild into build/pkg/, then rpmlint them (build/pkg/rpmlint.log).
# Fedora's systemd macros are stood in by rpm/macros.debian; build
# dependencies are not checked (no rpm database here).  Exit 1 on an
# rpmlint error.
set -eu
. "$(dirname "$0")/lib.sh"

nepf_host_install rpm rpmlint
ver=$(pkg_version)
spec_ver=$(sed -n 's/^Version: *//p' "$NEPF_TOP/rpm/nvme-epf.spec")
[ "$ver" = "$spec_ver" ] || nepf_die "version mismatch: debian/changelog $ver, rpm spec $spec_ver"
top=$PKG_OUT/rpm-work
rm -rf "$top"
mkdir -p "$top"/{SOURCES,SPECS,BUILD,RPMS,SRPMS}
pkg_stage "$top/stage/nvme-epf-$ver"
tar -C "$top/stage" -czf "$top/SOURCES/nvme-epf-$ver.tar.gz" "nvme-epf-$ver"
nepf_log "building nvme-epf $ver RPMs"
rpmbuild --load "$NEPF_TOP/rpm/macros.debian" --define "_topdir $top" --nodeps \
	-ba "$NEPF_TOP/rpm/nvme-epf.spec" >"$top/build.log" 2>&1 ||
	{ tail -n 30 "$top/build.log" >&2; nepf_die "rpmbuild failed ($top/build.log)"; }
rm -f "$PKG_OUT"/*.rpm
mv "$top"/RPMS/noarch/*.rpm "$top"/SRPMS/*.rpm "$PKG_OUT/"
ls "$PKG_OUT"/*.rpm
rpmlint -r "$NEPF_TOP/rpm/nvme-epf.rpmlintrc" "$PKG_OUT"/*.rpm >"$PKG_OUT/rpmlint.log" 2>&1 || true
cat "$PKG_OUT/rpmlint.log" >&2
grep -Eq '[0-9]+ packages and [0-9]+ specfiles checked; 0 errors' "$PKG_OUT/rpmlint.log"
