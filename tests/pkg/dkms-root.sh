#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install test of the built packages in a clean Debian trixie root:
#
#   0. installing nvme-epf-dkms with Recommends pulls no kernel image;
#   1. apt installs arm64 kernel headers (A1), then nvme-epf-dkms and
#      nvme-epf-utils: DKMS builds nvme_epf.ko for A1 (an arm64 module);
#   2. apt installs a second arm64 headers version (A2): the kernel hook
#      rebuilds the module for A2 without being asked;
#   3. amd64 headers (Debian's amd64 kernel has no CONFIG_PCI_ENDPOINT):
#      DKMS skips that kernel and the install does not fail; the installed
#      /usr/sbin/nvme-epf runs with its libraries from /usr/lib/nvme-epf;
#   3b. with nvme-epf.service active (a stand-in systemctl) and a live,
#      never saved function, an upgrade of nvme-epf-utils leaves the
#      service and every function alone; "systemctl reload" applies the file;
#   3c. the unit the udev rule names restores a late controller; stopping
#      the unit releases the backing; 3d. the docs the man page names are
#      installed; 3e. the autopkgtest (tool tests against the installed tool);
#   3f. systemd and udev (installed into the root) on the installed units
#      and rule: systemd-analyze verify, the units' ordering (dkms, and the
#      network only with save's drop-in), udevadm verify and udevadm test;
#   4. apt purges the packages: module, DKMS tree and sources are gone;
#   5. the RPMs, `rpm -i --nodeps` in the same root: %post (dkms's
#      common.postinst) builds for every kernel with headers, the tool
#      runs with its libraries from /usr/lib/nvme-epf, an upgrade
#      keeps the live functions as in 3b, then 3-3f's checks on what the
#      RPM installed, and `rpm -e` (%preun) removes it all.
#
# This machine is amd64 without binfmt_misc, so the root is amd64 with the
# suite's aarch64 cross compiler and the module is cross-built: dkms.conf
# takes ARCH from the kernel's .config and picks aarch64-linux-gnu-.  The
# arm64 headers packages are repacked without their dependencies on the
# arm64 kernel image and the native arm64 gcc (neither can be installed
# in an amd64 root); nothing else is changed.
#
# Caches: $NEPF_CACHE/pkg/ (root tarball, header debs).  Prints PASS:/FAIL:
# lines; exit 1 if any case failed.
set -u
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

suite=trixie
cache=$NEPF_CACHE/pkg
mkdir -p "$cache/debs"
# What the root holds besides apt: dkms, the cross compiler, what the
# kernel header packages depend on, rpm for the RPM scriptlet test, ccache
# (its cache persists in $NEPF_CACHE/pkg/ccache: warm runs compile nothing).
root_pkgs=dkms,gcc-aarch64-linux-gnu,make,kmod,file,rpm,linux-base,pahole,libelf1t64,libssl3t64,ccache
root_tar=$cache/$suite-dkms-root-$(echo "$root_pkgs" | md5sum | cut -c1-8).tar
run=$PKG_OUT/root
# Everything under $run is removed below: never let it be anything else.
case $run in
/?*/pkg/root) ;;
*) nepf_die "refusing test root '$run' (want .../pkg/root)" ;;
esac
failed=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+ ($2)}"; failed=1; }

make_root_tar() {
	[ -s "$root_tar" ] && return 0
	nepf_host_install mmdebstrap
	nepf_log "creating the $suite DKMS test root (mmdebstrap)"
	# Its own mount namespace, as in nepf_root_create() (tests/infra/roots.sh).
	unshare --mount --propagation private -- \
		mmdebstrap --variant=apt --mode=root -q --architectures=amd64,arm64 \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--aptopt='APT::Install-Recommends "false"' \
		--skip=cleanup/apt/lists --include="$root_pkgs" \
		"$suite" "$cache/tmp-root.tar" "$(nepf_mirror)" >&2 || { rm -f "$cache/tmp-root.tar"; return 1; }
	mv "$cache/tmp-root.tar" "$root_tar"
}

# Download a headers package plus the -common and linux-kbuild packages it
# needs (with the root's apt, so the host's apt state does not matter);
# repack it without the kernel image/gcc dependencies (see above).
fetch_headers() {
	local pkg=$1 dir=$cache/debs/$1 deps f
	[ -e "$dir/.complete" ] && return 0
	rm -rf "$dir" "$run/dl"
	mkdir -p "$dir" "$run/dl"
	deps=$(in_root apt-cache show "$pkg" | sed -n 's/^Depends: //p' | head -n 1 |
		tr ',' '\n' | sed 's/^ *//;s/ .*//' | grep -E '^linux-(headers-.*-common|kbuild-)' | tr '\n' ' ')
	# The root's lists may be older than the archive: refresh them on a miss.
	in_root /bin/sh -c "cd /dl && { apt-get download -q $pkg $deps ||
		{ apt-get update -q && apt-get download -q $pkg $deps; }; }" >&2 || return 1
	for f in "$run"/dl/*.deb; do
		case ${f##*/} in
		linux-headers-*-common_*|linux-kbuild-*) mv "$f" "$dir/" ;;
		*)	rm -rf "$dir/x"
			dpkg-deb -R "$f" "$dir/x" || return 1
			sed -i -e '/^Depends:/{s/linux-image-[^,]*,\{0,1\} *//;s/, *gcc-[0-9]*\( ([^)]*)\)\{0,1\}//;s/, *$//}' \
				"$dir/x/DEBIAN/control"
			dpkg-deb -Zgzip -z1 -b "$dir/x" "$dir/${f##*/}" >/dev/null || return 1
			rm -rf "$dir/x" ;;
		esac
	done
	rm -rf "$run/dl"
	touch "$dir/.complete"
}

# PATH inside the root: ccache first (also given to dpkg and rpm scriptlets).
root_path=/usr/lib/ccache:/usr/sbin:/usr/bin:/sbin:/bin

# in_root CMD...: run CMD in the test root (private mount namespace).
in_root() {
	mkdir -p "$cache/ccache" "$run/ccache"
	unshare --mount --propagation private -- /bin/bash -c '
		root=$1 ccache=$2 path=$3; shift 3
		# A mount point as "/" (rpm'"'"'s unshare plugin changes its propagation).
		mount --bind "$root" "$root" && mount --bind /dev "$root/dev" &&
			mount -t proc proc "$root/proc" &&
			mount --bind "$ccache" "$root/ccache" || exit 1
		exec chroot "$root" /usr/bin/env -i \
			PATH="$path" CCACHE_DIR=/ccache \
			HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"' \
		in-root "$run" "$cache/ccache" "$root_path" "$@"
}

# apt_in_root "PATTERNS": install local packages (globs expand in the root).
apt_in_root() {
	# apt gives dpkg (and so DKMS) its own PATH: keep ccache first in it.
	in_root /bin/sh -c "apt-get -o DPkg::Lock::Timeout=900 -o DPkg::Path=$root_path install -y -q $1"
}

# Module of kernel $1 in the root: installed by DKMS, arm64, matching vermagic.
module_ok() {
	local kver=$1 arch=$2 ko out
	ko=$run/lib/modules/$kver/updates/dkms/nvme_epf.ko
	[ -f "$ko" ] || ko=$(ls "$run/lib/modules/$kver/updates/dkms/nvme_epf.ko"* 2>/dev/null | head -n 1)
	[ -n "$ko" ] && [ -f "$ko" ] || { echo "no nvme_epf.ko for $kver"; return 1; }
	# (Outputs are captured first: grep -q closing a pipe early fails
	# the pipeline under pipefail.)
	out=$(file -b "$ko")
	[[ $out == *"$arch"* ]] || { echo "$ko: $out"; return 1; }
	out=$(in_root modinfo -F vermagic "${ko#"$run"}")
	[[ $out == "$kver "* ]] || { echo "vermagic: $out"; return 1; }
	# MODULE_VERSION: the package version, passed by dkms.conf.
	out=$(in_root modinfo -F version "${ko#"$run"}")
	[ "$out" = "$ver" ] || { echo "modinfo version: '$out', package $ver"; return 1; }
	out=$(in_root dkms status nvme-epf)
	grep -qF "nvme-epf/$ver, $kver, " <<< "$out" && grep -F "$kver" <<< "$out" | grep -q ': installed' ||
		{ echo "dkms status: $out"; return 1; }
}

no_traces() {
	local left
	left=$(cd "$run" && find lib/modules usr/lib/modules var/lib/dkms usr/src \
		\( -name 'nvme_epf.ko*' -o -name 'nvme-epf*' \) 2>/dev/null)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
	[ ! -e "$run/usr/lib/nvme-epf" ] || { echo "left behind: /usr/lib/nvme-epf"; return 1; }
	[ -z "$(in_root dkms status nvme-epf)" ]
}

# The installed tool runs from /usr/sbin with its libraries from
# /usr/lib/nvme-epf: the package holds every file of scripts/lib there and
# none next to the tool; create, save, destroy, restore and status on a
# fake configfs use each library; without /usr/lib/nvme-epf the tool fails
# naming the missing file (so that is where it loads them from).
tool_installed_ok() {
	local want got out rc
	want=$(cd "$NEPF_TOP/scripts/lib" && ls)
	got=$(cd "$run/usr/lib/nvme-epf" 2>/dev/null && ls)
	[ -n "$got" ] && [ "$want" = "$got" ] ||
		{ echo "libraries: scripts/lib has '$want', /usr/lib/nvme-epf '$got'"; return 1; }
	[ ! -e "$run/usr/sbin/lib" ] || { echo "/usr/sbin/lib exists"; return 1; }
	out=$(in_root /bin/bash -c 't=$(mktemp -d) &&
		export NVME_EPF_CONFIGFS=$t/cfs NVME_EPF_FAKE=1 NVME_EPF_EPC_CLASS=$t/epc \
			NVME_EPF_LOCK=$t/lock NVME_EPF_CONFIG=$t/config.json &&
		mkdir -p "$t/cfs/functions" "$t/cfs/subsystems" "$t/epc/vepc.0" &&
		command -v nvme-epf && nvme-epf create --epc vepc.0 --backing null:1G --name f0 &&
		nvme-epf save && nvme-epf destroy --all && nvme-epf restore --wait 0 &&
		nvme-epf status f0; rc=$?; rm -rf "$t"; exit $rc' 2>&1) || { echo "$out"; return 1; }
	echo "$out"
	grep -qx /usr/sbin/nvme-epf <<< "$out" &&
		grep -q "^function f0: epc vepc.0, subsystem f0, started" <<< "$out" || return 1
	mv "$run/usr/lib/nvme-epf" "$run/usr/lib/nvme-epf.away" || return 1
	out=$(in_root nvme-epf version 2>&1)
	rc=$?
	mv "$run/usr/lib/nvme-epf.away" "$run/usr/lib/nvme-epf" || return 1
	[ "$rc" = 1 ] && grep -q "/usr/lib/nvme-epf/common.sh is missing" <<< "$out" ||
		{ echo "without /usr/lib/nvme-epf: exit $rc: $out"; return 1; }
	out=$(in_root nvme-epf version) && [ "$out" = "nvme-epf $ver" ]
}

# The documents the man page names are installed at the paths it gives,
# and it names no source-tree path (docs/X.md names nothing on a board).
docs_named_ok() {
	local man_text docs d missing=
	# (The roff source, with its "\-" read as the "-" the reader sees.)
	man_text=$(in_root /bin/sh -c 'zcat -f /usr/share/man/man8/nvme-epf.8*' | sed 's/\\-/-/g')
	docs=$(grep -o '/usr/share/doc/nvme-epf-utils/[A-Za-z0-9_.-]*[A-Za-z0-9]' <<< "$man_text" | sort -u)
	for d in $docs; do [ -e "$run$d" ] || missing="$missing $d"; done
	for d in $(grep -oE '(^|[^/])docs/[A-Za-z0-9_.-]*[A-Za-z0-9]' <<< "$man_text" | sed 's/^[^d]*//' | sort -u); do
		missing="$missing $d(source-tree path)"
	done
	[ -n "$docs" ] && [ -z "$missing" ] || { echo "missing:${missing:- (the man page names none)}"; return 1; }
}

# After the upgrade (live-upgrade.sh upgrade), the service of package $1
# (deb, rpm) under the stand-in systemctl: reload applies the file, the
# udev rule's unit restores a late controller, stop releases the backing;
# and the documents the man page names are installed.
service_ok() {
	local p=$1 c
	for c in reload:service-reload-applies-config udev:udev-rule-restores-late-controller \
		 shutdown:unit-stop-releases-backing; do
		in_root /pkgs/live-upgrade.sh "${c%%:*}" >>"$log" 2>&1 && pass "$p-${c#*:}" ||
			fail "$p-${c#*:}" "see $log"
	done
	docs_named_ok >>"$log" 2>&1 && pass "$p-docs-named-by-man-page-installed" ||
		fail "$p-docs-named-by-man-page-installed" "see $log"
}

# The units and the udev rule, as installed by package $1 (deb, rpm), by
# systemd and udev themselves (installed in the root by step 3f; no systemd
# runs there: what needs a running one is listed in README.md):
#   - systemd-analyze verify loads both units cleanly (the template as an
#     instance);
#   - ordering, as systemd orders the start transaction (unit-order.sh):
#     after dkms.service always, after network-online.target (wanted),
#     nvmf-autoconnect.service and iscsi.service only with the drop-ins
#     that save writes for a namespace backed over NVMe/TCP;
#   - udevadm verify parses the rule, and udevadm test of an endpoint
#     controller appearing (a fake sysfs device of class pci_epc in the
#     root) gives it the systemd tag and its controller's restore unit.
units_ok() {
	local p=$1 out inst=nvme-epf-restore@fe150000.pcie-ep.service
	local dev=/sys/devices/platform/fe150000.pcie-ep/pci_epc/fe150000.pcie-ep
	install -m 0755 "$here/unit-order.sh" "$run/pkgs/unit-order.sh"
	out=$(in_root /bin/sh -c 'd=$(mktemp -d) &&
		cp /usr/lib/systemd/system/nvme-epf-restore@.service "$d/$1" &&
		systemd-analyze verify --man=no /usr/lib/systemd/system/nvme-epf.service "$d/$1" 2>&1
		rm -rf "$d"' sh "$inst")
	echo "$out" >>"$log"
	[ -z "$out" ] && pass "$p-units-verify-installed" || fail "$p-units-verify-installed" "$out"
	if in_root /pkgs/live-upgrade.sh network off >>"$log" 2>&1 &&
	   want_order "nvme-epf.service after dkms.service
nvme-epf.service not after network-online.target
nvme-epf.service not after nvmf-autoconnect.service
nvme-epf.service not after nepf-probe-control.service
$inst not after network-online.target" >>"$log" &&
	   in_root /pkgs/live-upgrade.sh network on >>"$log" 2>&1 &&
	   want_order "nvme-epf.service after dkms.service
nvme-epf.service after network-online.target
nvme-epf.service after nvmf-autoconnect.service
nvme-epf.service after iscsi.service
$inst after network-online.target" >>"$log" &&
	   in_root /pkgs/live-upgrade.sh network off >>"$log" 2>&1 &&
	   want_order "nvme-epf.service not after network-online.target" >>"$log"; then
		pass "$p-unit-order-dkms-and-network-only-when-needed"
	else
		fail "$p-unit-order-dkms-and-network-only-when-needed" "see $log"
	fi
	mkdir -p "$run$dev" "$run/sys/class/pci_epc"
	ln -sfn ../../../../../class/pci_epc "$run$dev/subsystem"
	: > "$run$dev/uevent"
	ln -sfn "../../${dev#/sys/}" "$run/sys/class/pci_epc/fe150000.pcie-ep"
	if out=$(in_root udevadm verify /usr/lib/udev/rules.d/60-nvme-epf.rules 2>&1); then
		pass "$p-udev-rule-verify"
	else
		fail "$p-udev-rule-verify" "$out"
	fi
	echo "$out" >>"$log"
	# (udev checks that /sys is sysfs unless told, for tests, not to.)
	out=$(in_root env SYSTEMD_DEVICE_VERIFY_SYSFS=0 udevadm test --action=add "$dev" 2>&1)
	echo "$out" >>"$log"
	if grep -qE "^ *SYSTEMD_WANTS=$inst\$" <<< "$out" && grep -qE '^ *TAGS=.*:systemd:' <<< "$out"; then
		pass "$p-udev-rule-wants-restore-unit"
	else
		fail "$p-udev-rule-wants-restore-unit" "see $log"
	fi
	rm -rf "$run/sys/devices" "$run/sys/class"
}

# want_order "LINES": unit-order.sh's answers for the probes below are LINES.
want_order() {
	local got
	got=$(in_root /pkgs/unit-order.sh nvme-epf.service dkms.service network-online.target \
		nvmf-autoconnect.service iscsi.service nepf-probe-control.service 2>&1;
	      in_root /pkgs/unit-order.sh nvme-epf-restore@fe150000.pcie-ep.service \
		network-online.target 2>&1)
	echo "$got"
	# Every line wanted is there (the probes answer more than each asks).
	while IFS= read -r l; do
		grep -qxF -- "$l" <<< "$got" || { echo "want: $l"; return 1; }
	done <<< "$1"
}

ver=$(pkg_version)
deb_dkms=$PKG_OUT/nvme-epf-dkms_${ver}_all.deb
deb_utils=$PKG_OUT/nvme-epf-utils_${ver}_all.deb
[ -f "$deb_dkms" ] && [ -f "$deb_utils" ] || nepf_die "build the .debs first (make deb)"

make_root_tar || nepf_die "cannot create the test root"
nepf_log "unpacking the test root"
rm -rf "$run"
mkdir -p "$run"
tar -C "$run" -xf "$root_tar" || nepf_die "cannot unpack $root_tar"
# The cross toolchain must survive every apt run (apt's solver may otherwise
# swap it for arm64 binaries when arm64 packages enter the picture).
in_root apt-mark hold gcc-aarch64-linux-gnu gcc-14-aarch64-linux-gnu \
	cpp-14-aarch64-linux-gnu binutils-aarch64-linux-gnu >/dev/null
mapfile -t abis < <(in_root apt-cache pkgnames linux-headers- |
	sed -n 's/^linux-headers-\([0-9][^ ]*\)-arm64$/\1/p' | grep -v -e -rt -e 16k -e cloud | sort -V | tail -n 2)
[ ${#abis[@]} -eq 2 ] || nepf_die "need two arm64 header versions in $suite, found: ${abis[*]}"
a2=${abis[1]}-arm64 a1=${abis[0]}-arm64 amd=${abis[1]}-amd64
mkdir -p "$run/pkgs"
cp "$deb_dkms" "$deb_utils" "$PKG_OUT"/nvme-epf-*.noarch.rpm "$run/pkgs/"
for h in "$a1" "$a2" "$amd"; do
	arch=arm64
	[ "$h" = "$amd" ] && arch=amd64
	fetch_headers "linux-headers-$h:$arch" || nepf_die "cannot download linux-headers-$h"
	mkdir -p "$run/pkgs/$h"
	cp "$cache/debs/linux-headers-$h:$arch"/*.deb "$run/pkgs/$h/"
done
log=$PKG_OUT/dkms-root.log
: > "$log"

# 0. With Recommends on (apt's default), installing nvme-epf-dkms pulls no
# kernel image: the headers of a board's (vendor) kernel are the admin's
# choice, and a Debian headers metapackage would drag a Debian kernel into
# /boot.  dkms is installed already, so only our own Recommends count.
out=$(in_root apt-get -s -q -o APT::Install-Recommends=true install "/pkgs/${deb_dkms##*/}" 2>&1)
echo "$out" >>"$log"
if grep -q '^Inst nvme-epf-dkms' <<< "$out" && ! grep -q '^Inst linux-image' <<< "$out"; then
	pass "deb-recommends-pull-no-kernel-image"
else
	fail "deb-recommends-pull-no-kernel-image" "$(grep '^Inst linux-image' <<< "$out" | head -n 1)"
fi

# 1. Headers first, then the packages: DKMS builds for the kernel at install.
t0=$SECONDS
if apt_in_root "/pkgs/$a1/*.deb" >>"$log" 2>&1 &&
   apt_in_root "/pkgs/nvme-epf-dkms_*.deb /pkgs/nvme-epf-utils_*.deb" >>"$log" 2>&1 &&
   module_ok "$a1" aarch64 >>"$log" 2>&1; then
	pass "dkms-deb-install-builds-arm64-$a1"
else
	fail "dkms-deb-install-builds-arm64-$a1" "see $log"
fi
nepf_log "install + DKMS build: $((SECONDS - t0)) s"

# 2. Another kernel's headers arrive later: rebuilt by the kernel hook.
t0=$SECONDS
if apt_in_root "/pkgs/$a2/*.deb" >>"$log" 2>&1 && module_ok "$a2" aarch64 >>"$log" 2>&1; then
	pass "dkms-autobuild-new-headers-$a2"
else
	fail "dkms-autobuild-new-headers-$a2" "see $log"
fi
nepf_log "new headers + automatic rebuild: $((SECONDS - t0)) s"

# 3. A kernel without CONFIG_PCI_ENDPOINT is skipped, not an error.
if apt_in_root "/pkgs/$amd/*.deb" >>"$log" 2>&1 &&
   [ ! -e "$run/lib/modules/$amd/updates/dkms/nvme_epf.ko" ] &&
   ! grep -q "$amd.*installed" <<< "$(in_root dkms status nvme-epf)" &&
   in_root dpkg --audit >>"$log" 2>&1 && [ -z "$(in_root dpkg --audit)" ]; then
	pass "dkms-skips-kernel-without-pci-endpoint"
else
	fail "dkms-skips-kernel-without-pci-endpoint" "see $log"
fi
in_root /bin/sh -c "test -x /usr/sbin/nvme-epf && nvme-epf --help >/dev/null &&
	test -f /usr/share/bash-completion/completions/nvme-epf &&
	{ man -w nvme-epf >/dev/null 2>&1 || test -e /usr/share/man/man8/nvme-epf.8.gz; } &&
	v=\$(dpkg --verify nvme-epf-dkms nvme-epf-utils 2>&1); echo \"dpkg --verify: \$v\"; test -z \"\$v\"" \
	>>"$log" 2>&1 && pass "deb-utils-installed" || fail "deb-utils-installed"
tool_installed_ok >>"$log" 2>&1 && pass "deb-tool-runs-with-libs-from-usr-lib" ||
	fail "deb-tool-runs-with-libs-from-usr-lib" "see $log"

# 3b. Upgrading nvme-epf-utils never bounces the drive: with the service
# active, a saved function and a live one never saved, dpkg reinstalls the
# package (its maintainer scripts run the upgrade path) under a stand-in
# systemctl; nothing is stopped, started or removed.  Then an explicit
# `systemctl reload` applies the saved file and says what it changed.
install -m 0755 "$here/fake-systemctl" "$run/usr/bin/systemctl"
install -m 0755 "$here/live-upgrade.sh" "$run/pkgs/live-upgrade.sh"
if in_root /pkgs/live-upgrade.sh upgrade dpkg -i "/pkgs/${deb_utils##*/}" >>"$log" 2>&1; then
	pass "deb-upgrade-keeps-live-functions"
else
	fail "deb-upgrade-keeps-live-functions" "see $log"
fi
# 3c. Controllers that appear late are restored by the udev rule's unit;
# stopping the unit at shutdown releases every backing device and file.
# 3d. The documents the man page names are installed at the paths it gives.
service_ok deb
# 3e. debian/tests/tool (the autopkgtest): the tool tests against the
# installed /usr/sbin/nvme-epf, with the source tree's tests.
mkdir -p "$run/src/debian" "$run/src/tests"
cp -r "$NEPF_TOP/debian/tests" "$run/src/debian/"
cp -r "$NEPF_TOP/tests/pkg" "$run/src/tests/"
if in_root /bin/sh -c "apt-get install -y -q python3 shellcheck || { apt-get update -q && apt-get install -y -q python3 shellcheck; }" >>"$log" 2>&1 &&
   in_root /bin/sh -c 'cd /src && debian/tests/tool' > "$PKG_OUT/autopkgtest-tool.log" 2>&1; then
	pass "deb-autopkgtest-tool-tests-installed ($(grep -c '^PASS' "$PKG_OUT/autopkgtest-tool.log") cases)"
else
	fail "deb-autopkgtest-tool-tests-installed" "see $PKG_OUT/autopkgtest-tool.log"
fi

# 3f. systemd and udev themselves on the installed files (units_ok).  The
# real systemctl that comes with them is replaced by the stand-in again.
rm -rf "$run/run/systemd/system"
if in_root /bin/sh -c "apt-get install -y -q systemd udev || { apt-get update -q && apt-get install -y -q systemd udev; }" >>"$log" 2>&1; then
	install -m 0755 "$here/fake-systemctl" "$run/usr/bin/systemctl"
	units_ok deb
else
	install -m 0755 "$here/fake-systemctl" "$run/usr/bin/systemctl"
	fail "systemd-udev-installed-in-root" "see $log"
fi

# 4. Purge: nothing of the module is left.
if in_root apt-get purge -y -q nvme-epf-dkms nvme-epf-utils >>"$log" 2>&1 && no_traces >>"$log" 2>&1; then
	pass "dkms-deb-purge-cleans-up"
else
	fail "dkms-deb-purge-cleans-up" "see $log"
fi

# 5. The RPMs' scriptlets, with Debian's rpm (no dependency resolution).
# %post is dkms's common.postinst: in an image root (the running kernel is
# the build machine's) it builds for every kernel with headers.
rpmf=$(cd "$run/pkgs" && ls nvme-epf-"$ver"-*.noarch.rpm nvme-epf-utils-"$ver"-*.noarch.rpm 2>/dev/null)
if [ -n "$rpmf" ] &&
   in_root /bin/sh -c "cd /pkgs && rpm -i --nodeps --define '_install_script_path $root_path' $(echo $rpmf)" >>"$log" 2>&1 &&
   module_ok "$a1" aarch64 >>"$log" 2>&1 && module_ok "$a2" aarch64 >>"$log" 2>&1 &&
   [ -x "$run/usr/sbin/nvme-epf" ] && [ -f "$run/usr/share/bash-completion/completions/nvme-epf" ]; then
	pass "rpm-post-dkms-builds-all-kernels"
else
	fail "rpm-post-dkms-builds-all-kernels" "see $log"
fi
tool_installed_ok >>"$log" 2>&1 && pass "rpm-tool-runs-with-libs-from-usr-lib" ||
	fail "rpm-tool-runs-with-libs-from-usr-lib" "see $log"
if in_root /pkgs/live-upgrade.sh upgrade rpm -U --replacepkgs --nodeps \
	--define "_install_script_path $root_path" "/pkgs/nvme-epf-utils-$ver-1.noarch.rpm" >>"$log" 2>&1; then
	pass "rpm-upgrade-keeps-live-functions"
else
	fail "rpm-upgrade-keeps-live-functions" "see $log"
fi
# The same checks as the .deb's (3-3f), on what the RPM installed.
in_root /bin/sh -c "nvme-epf --help >/dev/null &&
	test -f /usr/lib/systemd/system/nvme-epf.service &&
	test -f /usr/lib/systemd/system/nvme-epf-restore@.service &&
	test -f /usr/lib/udev/rules.d/60-nvme-epf.rules &&
	test -f /usr/share/bash-completion/completions/nvme-epf &&
	ls /usr/share/man/man8/nvme-epf.8* && v=\$(rpm -V --nodeps nvme-epf nvme-epf-utils 2>&1);
	echo \"rpm -V: \$v\"; test -z \"\$v\"" \
	>>"$log" 2>&1 && pass "rpm-utils-installed" ||
	fail "rpm-utils-installed" "see $log"
service_ok rpm
units_ok rpm
out=$(in_root rpm -qp --requires --scripts "/pkgs/nvme-epf-$ver-1.noarch.rpm")
if ! grep -q kernel-devel <<< "$out" && grep -q '/usr/lib/dkms/common.postinst' <<< "$out" &&
   grep -q "Building for .*$a1.*$a2\|Building for .*$a2.*$a1" "$log"; then
	pass "rpm-post-uses-dkms-common-postinst"
else
	fail "rpm-post-uses-dkms-common-postinst" "see $log"
fi
if in_root rpm -e nvme-epf nvme-epf-utils >>"$log" 2>&1 && no_traces >>"$log" 2>&1; then
	pass "rpm-preun-dkms-removes"
else
	fail "rpm-preun-dkms-removes" "see $log"
fi

[ -n "${NEPF_PKG_KEEP_ROOT:-}" ] || rm -rf "$run"
exit $failed
