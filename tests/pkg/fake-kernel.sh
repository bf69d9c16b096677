# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's rules for the fake configfs of the tool tests
# (NVME_EPF_FAKE=1 NVME_EPF_FAKE_KERNEL=this file): scripts/nvme-epf sources
# it and calls `fake_kernel OP PATH [VALUE]` before each write (OP wr),
# mkdir and rmdir under $CFS.  A refusal prints the errno text the kernel's
# write or rmdir would give and returns 1; the tool then sees what it would
# see on a board.  What is modelled, from src/configfs*.c:
#   - a started function's attributes (except start) are frozen (EBUSY);
#   - a subsystem's attr_* and pool_* are frozen while a started function
#     serves it;
#   - an enabled namespace's and an enabled rule's attributes are frozen;
#   - "subsystem" must name an existing subsystem (ENOENT), and a subsystem
#     named by a function cannot be removed (EBUSY);
#   - the limits the module publishes in nvme_epf/limits (the same text:
#     tests/pkg/kernel-limits, kept equal to src/cfg-limits.c by the unit
#     test limits_published_equal_tool_fake): numbers out of range
#     (ERANGE), MDTS not a power of two (EINVAL), names too long
#     (ENAMETOOLONG), NSIDs (EINVAL).
#     The fake enforces them whether or not the tree shows the file (an
#     older module refuses without publishing).

declare -A FAKE_MIN=() FAKE_MAX=() FAKE_POW2=()
while read -r k lo hi fl; do
	FAKE_MIN[$k]=$lo FAKE_MAX[$k]=$hi FAKE_POW2[$k]=${fl:-}
done < "${NVME_EPF_FAKE_LIMITS:-$(dirname "${BASH_SOURCE[0]}")/kernel-limits}"
unset k lo hi fl

# fake_limit KEY VALUE: the module's refusal of VALUE, if any.
fake_limit() {
	local k=$1 v=$2
	[ -n "${FAKE_MAX[$k]:-}" ] || return 0
	case $k in
	*.name) [ "${#v}" -le "${FAKE_MAX[$k]}" ] || { echo "File name too long"; return 1; } ;;
	namespace.nsid)
		[[ $v =~ ^[0-9]+$ ]] && [ "$v" -ge "${FAKE_MIN[$k]}" ] && [ "$v" -le "${FAKE_MAX[$k]}" ] ||
			{ echo "Invalid argument"; return 1; } ;;
	*)	[[ $v =~ ^(0x)?[0-9a-fA-F]+$ ]] || { echo "Invalid argument"; return 1; }
		v=$((v))
		[ "$v" -ge "${FAKE_MIN[$k]}" ] && [ "$v" -le "${FAKE_MAX[$k]}" ] ||
			{ echo "Numerical result out of range"; return 1; }
		[ "${FAKE_POW2[$k]}" != pow2 ] || [ $((v & (v - 1))) -eq 0 ] ||
			{ echo "Invalid argument"; return 1; } ;;
	esac
}

fake_rd() { local v=; [ -f "$1" ] && IFS= read -r v < "$1"; printf '%s' "$v"; }
fake_on() { case $(fake_rd "$1") in 1|Y|y) return 0 ;; esac; return 1; }

# Does a started function serve subsystem $1?
fake_served() {
	local f
	for f in "$CFS"/functions/*/; do
		[ "$(fake_rd "$f/subsystem")" = "$1" ] && fake_on "$f/start" && return 0
	done
	return 1
}

fake_kernel() {
	local op=$1 p=$2 v=${3:-} dir attr f
	dir=$CFS/${p%/*} attr=${p##*/}
	case $op:$p in
	wr:functions/*/inject/*/*)
		[ "$attr" = enable ] || ! fake_on "$dir/enable" || { echo "Device or resource busy"; return 1; } ;;
	wr:functions/*/*)
		[ "$attr" = start ] || ! fake_on "$dir/start" || { echo "Device or resource busy"; return 1; }
		fake_limit "function.$attr" "$v" || return 1
		if [ "$attr" = subsystem ] && [ -n "$v" ] && [ ! -d "$CFS/subsystems/$v" ]; then
			echo "No such file or directory"; return 1
		fi ;;
	wr:subsystems/*/namespaces/*/*)
		[ "$attr" = enable ] || ! fake_on "$dir/enable" || { echo "Device or resource busy"; return 1; } ;;
	wr:subsystems/*/attr_*|wr:subsystems/*/pool_*)
		! fake_served "${dir##*/}" || { echo "Device or resource busy"; return 1; } ;;
	rmdir:subsystems/*/*) ;;
	mkdir:functions/*/inject/*) fake_limit rule.name "$attr" || return 1 ;;
	mkdir:functions/*) fake_limit function.name "$attr" || return 1 ;;
	mkdir:subsystems/*/namespaces/*) fake_limit namespace.nsid "$attr" || return 1 ;;
	mkdir:subsystems/*) fake_limit subsystem.name "$attr" || return 1 ;;
	rmdir:subsystems/*)
		for f in "$CFS"/functions/*/; do
			[ "$(fake_rd "$f/subsystem")" != "${p#subsystems/}" ] ||
				{ echo "Device or resource busy"; return 1; }
		done ;;
	esac
	return 0
}
