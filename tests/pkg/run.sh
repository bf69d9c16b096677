#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packaging tier (make check-pkg / make pkgtest): one PASS:/FAIL: line
# per case, exit 1 if any failed.  Logs in build/pkg/.
set -u
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
rc=0
result() { if [ "$2" = 0 ]; then echo "PASS: $1"; else echo "FAIL: $1${3:+ ($3)}"; rc=1; fi; }

# One version everywhere: changelog, spec, tool, man page.
ver=$(pkg_version)
ok=0
grep -q "^Version: *$ver\$" "$NEPF_TOP/rpm/nvme-epf.spec" &&
grep -q "^VERSION=$ver\$" "$NEPF_TOP/scripts/nvme-epf" &&
grep -q "\"nvme-epf $ver\"" "$NEPF_TOP/scripts/nvme-epf.8" || ok=1
result pkg-version-consistent $ok "$ver"

# The unit parses (with the tool at its source path; man pages not installed).
if command -v systemd-analyze >/dev/null; then
	u=$PKG_OUT/unit/nvme-epf.service
	mkdir -p "${u%/*}"
	sed "s|/usr/sbin/nvme-epf|$NEPF_TOP/scripts/nvme-epf|" "$NEPF_TOP/scripts/nvme-epf.service" > "$u"
	out=$(systemd-analyze verify --man=no "$u" 2>&1)
	result systemd-unit-verify $([ -z "$out" ]; echo $?) "$out"
else
	echo "SKIP: systemd-unit-verify (no systemd-analyze)"
fi

bash "$here/build-deb.sh" > "$PKG_OUT/build-deb.log" 2>&1
result deb-build-lintian-clean $? "build/pkg/build-deb.log, lintian.log"
bash "$here/build-rpm.sh" > "$PKG_OUT/build-rpm.log" 2>&1
result rpm-build-rpmlint-clean $? "build/pkg/build-rpm.log, rpmlint.log"

bash "$here/tool-test.sh" || rc=1

if [ -f "$PKG_OUT/nvme-epf-dkms_${ver}_all.deb" ] && ls "$PKG_OUT"/*.noarch.rpm >/dev/null 2>&1; then
	bash "$here/dkms-root.sh" || rc=1
else
	result dkms-install-tests 1 "no packages to install"
fi
exit $rc
