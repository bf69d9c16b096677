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

# The man page's dash guard: what a reader types (commands, options, paths,
# the example) is written "\-", so that it renders as ASCII "-" on every
# groff; groff -ww has nothing to say (tests/pkg/man-dashes.py).
nepf_host_install groff-base python3 >/dev/null 2>&1
out=$(python3 "$here/man-dashes.py" "$NEPF_TOP/scripts/nvme-epf.8" 2>&1)
result man-page-dashes-escaped $? "$out"

# The settings the tool saves and restores are the module's configfs
# attributes (src/configfs*.c), no more, no less.
out=$(bash "$here/module-attrs.sh" "$NEPF_TOP" 2>&1)
result tool-attrs-equal-module $? "$out"

# The unit parses (with the tool at its source path; man pages not installed).
# The template is checked as an instance (a controller name with a dash).
if command -v systemd-analyze >/dev/null; then
	u=$PKG_OUT/unit
	rm -rf "$u"
	mkdir -p "$u"
	sed "s|/usr/sbin/nvme-epf|$NEPF_TOP/scripts/nvme-epf|" "$NEPF_TOP/scripts/nvme-epf.service" > "$u/nvme-epf.service"
	sed "s|/usr/sbin/nvme-epf|$NEPF_TOP/scripts/nvme-epf|" "$NEPF_TOP/scripts/nvme-epf-restore@.service" \
		> "$u/nvme-epf-restore@fe150000.pcie-ep.service"
	out=$(systemd-analyze verify --man=no "$u/nvme-epf.service" "$u/nvme-epf-restore@fe150000.pcie-ep.service" 2>&1)
	result systemd-unit-verify $([ -z "$out" ]; echo $?) "$out"
else
	echo "SKIP: systemd-unit-verify (no systemd-analyze)"
fi

# autodep8's generated dkms test runs on arm64 only (elsewhere it would
# pass while testing nothing), next to debian/tests/control's tool test.
nepf_host_install autodep8 >/dev/null 2>&1
out=$(cd "$NEPF_TOP" && autodep8 2>&1)
grep -qx 'Architecture: arm64' <<< "$out" && grep -q 'dkms-autopkgtest' <<< "$out" &&
	grep -qx 'Tests: tool' <<< "$out"
result autodep8-dkms-arm64-and-tool-test $? "$out"

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
