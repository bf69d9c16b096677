# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's rules for the fake configfs of the tool tests
# (NVME_EPF_FAKE=1 NVME_EPF_FAKE_KERNEL=this file): scripts/nvme-epf sources
# it and calls `fake_kernel OP PATH [VALUE]` before each write (OP wr),
# mkdir and rmdir under $CFS.  A refusal prints the errno text the kernel's
# write or rmdir would give and returns 1; the tool then sees what it would
# see on a board.  What is modelled, from src/configfs*.c:
#   - a started function's attributes (except start) are frozen (EBUSY);
#   - a subsystem's attr_* are frozen while a started function serves it;
#   - an enabled namespace's and an enabled rule's attributes are frozen;
#   - "subsystem" must name an existing subsystem (ENOENT), and a subsystem
#     named by a function cannot be removed (EBUSY).

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
		if [ "$attr" = subsystem ] && [ -n "$v" ] && [ ! -d "$CFS/subsystems/$v" ]; then
			echo "No such file or directory"; return 1
		fi ;;
	wr:subsystems/*/namespaces/*/*)
		[ "$attr" = enable ] || ! fake_on "$dir/enable" || { echo "Device or resource busy"; return 1; } ;;
	wr:subsystems/*/attr_*)
		! fake_served "${dir##*/}" || { echo "Device or resource busy"; return 1; } ;;
	rmdir:subsystems/*/*) ;;
	rmdir:subsystems/*)
		for f in "$CFS"/functions/*/; do
			[ "$(fake_rd "$f/subsystem")" != "${p#subsystems/}" ] ||
				{ echo "Device or resource busy"; return 1; }
		done ;;
	esac
	return 0
}
