# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers for the project's build and test infrastructure.
# Source this file; it never changes the machine's own apt configuration.

set -o pipefail

# Everything downloaded or prepared lives here, outside the clone, so that
# reruns are warm and a fresh clone reuses what an earlier run fetched.
NEPF_CACHE=${NEPF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nvme-epf}
NEPF_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NEPF_BUILD=${NEPF_BUILD:-$NEPF_TOP/build}
mkdir -p "$NEPF_CACHE" "$NEPF_BUILD"

# The package version: debian/changelog is its one source (the RPM spec,
# the tool and the man page are checked against it, dkms.conf and the
# module get it at build time).
nepf_version() {
	sed -n '1s/^nvme-epf (\([^)-]*\).*/\1/p' "$NEPF_TOP/debian/changelog"
}

nepf_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
nepf_die() { nepf_log "error: $*"; exit 1; }

# The Debian mirror this machine already uses (we never name one ourselves).
nepf_mirror() {
	local m=${NEPF_MIRROR:-}
	if [ -z "$m" ] && [ -r /etc/apt/sources.list.d/debian.sources ]; then
		m=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' \
			/etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$m" ] && [ -r /etc/apt/sources.list ]; then
		m=$(awk '/^deb / && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) {print $i; exit}}' \
			/etc/apt/sources.list)
	fi
	[ -n "$m" ] || nepf_die "no Debian mirror found in the apt sources; set NEPF_MIRROR"
	echo "${m%/}"
}

# Install host packages (from the machine's own sources) if missing.
nepf_host_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	nepf_log "installing host packages: ${missing[*]}"
	local lock=(-o DPkg::Lock::Timeout=900)
	if [ ! -e "$NEPF_CACHE/.host-apt-updated" ] ||
	   [ -n "$(find "$NEPF_CACHE/.host-apt-updated" -mmin +1440)" ]; then
		apt-get "${lock[@]}" update -qq && touch "$NEPF_CACHE/.host-apt-updated"
	fi
	DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -qq \
		--no-install-recommends "${missing[@]}" >&2
}

# Private apt state per suite: `nepf_apt SUITE apt-get-args...`
# (`NEPF_APT_TOOL=apt-cache nepf_apt SUITE search ...` for look-ups).
# Knows amd64, arm64 and armhf; lists and downloaded debs stay in the cache.
nepf_apt_dir() { echo "$NEPF_CACHE/apt/$1"; }
nepf_apt() {
	local suite=$1; shift
	local d; d=$(nepf_apt_dir "$suite")
	local mirror; mirror=$(nepf_mirror)
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/etc"
	local comps="main"
	printf 'deb [arch=amd64,arm64,armhf] %s %s %s\n' "$mirror" "$suite" "$comps" > "$d/etc/sources.list"
	local opts=(
		-o Dir::Etc::SourceList="$d/etc/sources.list"
		-o Dir::Etc::SourceParts=/nonexistent
		-o Dir::State::Lists="$d/lists"
		-o Dir::Cache="$d/cache"
		-o Dir::State::status=/dev/null
		-o APT::Architecture=amd64
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 -o APT::Architectures::=armhf
		-o Acquire::Check-Valid-Until=false
		-o Acquire::Languages=none
		-o Debug::NoLocking=1
		-o APT::Sandbox::User=root
	)
	# One apt at a time per suite: concurrent updates of the same lists
	# directory (apt's own locking is off here) leave it empty.
	flock "$d/.lock" ${NEPF_APT_TOOL:-apt-get} "${opts[@]}" "$@"
}
nepf_apt_cache() { NEPF_APT_TOOL=apt-cache nepf_apt "$@"; }
# Update a suite's private lists at most once a day.
nepf_apt_update() {
	local suite=$1 d; d=$(nepf_apt_dir "$suite")
	if [ ! -e "$d/updated" ] || [ -n "$(find "$d/updated" -mmin +1440)" ] ||
	   ! ls "$d/lists/"*_InRelease "$d/lists/"*_Packages* >/dev/null 2>&1; then
		nepf_log "apt update ($suite)"
		rm -f "$d/updated"
		nepf_apt "$suite" update -qq --error-on=any >&2 && touch "$d/updated"
	fi
}

# The protocol core's sources (src/core.mk, the list Kbuild and the unit
# tests read too), one path a line.
nepf_core_sources() {
	local f
	for f in $(sed -n 's/^NEPF_CORE *:= *//p' "$NEPF_TOP/src/core.mk"); do
		echo "$NEPF_TOP/src/$f.c"
	done
}

# The guest suites whose kernel is built from Debian's linux-source
# (tests/infra/kguest.sh, kbuild target arm64-vm-<suite>): Debian's own
# arm64 kernels of these have no CONFIG_PCI_ENDPOINT.
NEPF_KGUEST_SUITES="6.1 5.10"
nepf_kguest_suite() {
	case " $NEPF_KGUEST_SUITES " in *" $1 "*) return 0 ;; esac
	return 1
}

# Newest kernel ABI name of a suite and arch, e.g. "6.12.107+deb13-arm64"
# (from the linux-headers-<abi> packages in the suite's private lists).
nepf_kernel_abi() {
	local suite=$1 flavour=${2:-arm64}
	nepf_apt_update "$suite"
	nepf_apt_cache "$suite" pkgnames linux-headers- 2>/dev/null |
		grep -v -e "-rt-" -e "-16k" -e "-cloud-" | sed -n "s/^linux-headers-\([0-9][^ ]*-$flavour\)\$/\1/p" |
		sort -V | tail -n 1
}
