# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: reading and writing the module's configfs tree (or the
# tests' fake one), mounting it, and the limits the module publishes there.

# ---- configfs access -------------------------------------------------------

# The access layer's state, for the command that runs: DRY=1 plans (names
# each change, makes none), REPORT=1 names each change made, CHANGES counts
# them, WERR holds the reason of the last refusal.
DRY=0
REPORT=0
CHANGES=0
WERR=

# First line of an attribute; fails if it cannot be read.
rd() {
	local v
	[ -f "$1" ] && [ -r "$1" ] || return 1
	IFS= read -r v < "$1" || [ -n "$v" ] || return 0
	printf '%s' "$v"
}

# Count a change made, and name it when restore asked for a report.
changed() {
	CHANGES=$((CHANGES + 1))
	[ "$REPORT" = 0 ] || echo "$1"
}

# Tests: with NVME_EPF_FAKE=1, NVME_EPF_FAKE_KERNEL names a file defining
# fake_kernel OP PATH [VALUE], the kernel's refusals (tests/pkg/fake-kernel.sh).
if [ "$FAKE" = 1 ] && [ -n "${NVME_EPF_FAKE_KERNEL:-}" ]; then
	# shellcheck disable=SC1090
	. "$NVME_EPF_FAKE_KERNEL" || exit 1
fi
fake_refuses() {
	[ "$FAKE" = 1 ] && declare -F fake_kernel >/dev/null || return 1
	WERR=$(fake_kernel "$1" "${2#"$CFS"/}" "${3:-}") && return 1
	return 0
}

# A dry run names the change it would make, and counts it.
planned() {
	[ "$DRY" = 1 ] || return 1
	echo "would $1"
	CHANGES=$((CHANGES + 1))
}

# Write an attribute; on failure the kernel's reason is in $WERR.
wr() {
	local f=$1 v=$2
	planned "set ${f#"$CFS"/} = \"$v\"" && return 0
	if [ "$FAKE" = 1 ] && [ -n "${NVME_EPF_FAKE_FAIL:-}" ] &&
	   [[ $f == *"$NVME_EPF_FAKE_FAIL" ]]; then
		WERR="Invalid argument (injected)"
		return 1
	fi
	fake_refuses wr "$f" "$v" && return 1
	if WERR=$( { printf '%s\n' "$v" > "$f"; } 2>&1); then
		changed "set ${f#"$CFS"/} = \"$v\""
		return 0
	fi
	WERR=${WERR##*: }
	[ -n "$WERR" ] || WERR="write refused"
	return 1
}

mkd() {
	planned "create ${1#"$CFS"/}" && return 0
	fake_refuses mkdir "$1" && return 1
	if [ "$FAKE" = 1 ]; then
		# Like configfs: a new group comes with its attributes' defaults.
		WERR=$(mkdir -p -- "$1" 2>&1) || return 1
		case $1 in
		*/inject/*) echo 0 > "$1/enable" ;;
		*/functions/*) echo 0 > "$1/start"; mkdir -p "$1/inject" ;;
		*/namespaces/*) echo 0 > "$1/enable" ;;
		esac
	else
		WERR=$(mkdir -- "$1" 2>&1)
	fi || { WERR=${WERR##*: }; return 1; }
	changed "created ${1#"$CFS"/}"
}

# configfs removes a group with rmdir even though it lists attribute files.
rmd() {
	planned "remove ${1#"$CFS"/}" && return 0
	fake_refuses rmdir "$1" && return 1
	if [ "$FAKE" = 1 ]; then
		WERR=$(rm -rf -- "$1" 2>&1)
	else
		WERR=$(rmdir -- "$1" 2>&1)
	fi || { WERR=${WERR##*: }; return 1; }
	changed "removed ${1#"$CFS"/}"
}

is_on() { case ${1:-} in 1|Y|y|yes|on|true) return 0 ;; esac; return 1; }

# Child directories (names only, sorted).
children() {
	local d
	for d in "$1"/*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		printf '%s\n' "${d##*/}"
	done
}

# Mount configfs and load the module when needed.
ensure_configfs() {
	# A dry run mounts nothing and loads nothing: without the tree it
	# plans against an empty configuration.
	if [ "$DRY" = 1 ]; then
		[ -d "$CFS" ] || warn "dry run: $CFS does not exist (module not loaded), planning from an empty configuration"
		return 0
	fi
	if [ -n "${NVME_EPF_CONFIGFS:-}" ]; then
		[ -d "$CFS" ] || die "$CFS does not exist"
		return 0
	fi
	[ "$(id -u)" = 0 ] || die "must be run as root"
	if ! grep -qs ' /sys/kernel/config configfs ' /proc/mounts; then
		modprobe -q configfs 2>/dev/null
		mount -t configfs configfs /sys/kernel/config ||
			die "cannot mount configfs on /sys/kernel/config"
	fi
	if [ ! -d "$CFS" ]; then
		modprobe nvme_epf 2>/dev/null ||
			die "cannot load the nvme_epf module for kernel $(uname -r) (run '$PROG doctor')"
		local _
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			[ -d "$CFS" ] && break
			sleep 0.5
		done
		[ -d "$CFS" ] || die "nvme_epf is loaded but $CFS did not appear"
	fi
}

# ---- the module's limits ----------------------------------------------------
# The module publishes what its stores accept in $CFS/limits, one
# "object.attribute MIN MAX [pow2]" per line (function.max_io_queues,
# function.name, namespace.nsid, rule.name...).  The tool checks against
# that, before it changes anything; a module without the file is left to
# refuse on its own, and its error is reported (and the change rolled back).

# check_limit KEY VALUE LABEL: nothing printed if VALUE fits (or the module
# gives no limit for KEY), else why not.  Names are checked by length.
check_limit() {
	local k=$1 v=$2 what=$3 key lo hi fl min='' max='' pow2=''
	[ -r "$CFS/limits" ] || return 0
	while read -r key lo hi fl; do
		if [ "$key" = "$k" ] && [[ $lo =~ ^[0-9]{1,20}$ && $hi =~ ^[0-9]{1,20}$ ]]; then
			min=$lo max=$hi pow2=${fl:-}
		fi
	done < "$CFS/limits"
	[ -n "$max" ] || return 0
	case $k in *.name) v=${#v} ;; *) v=$((10#$v)) ;; esac
	if [ "$v" -lt "$min" ] || [ "$v" -gt "$max" ] ||
	   { [ "$pow2" = pow2 ] && [ $((v & (v - 1))) -ne 0 ]; }; then
		case $k in
		*.name) echo "$what: the module takes names of $min to $max characters" ;;
		*) echo "$what: the module takes $min-$max${pow2:+, a power of two}" ;;
		esac
	fi
}
