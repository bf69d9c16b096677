#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# unit-order.sh UNIT X...: for each X, print "UNIT after X" or "UNIT not
# after X", as systemd itself orders them, with UNIT's installed file and
# drop-ins (the search path of systemd-analyze: /etc, /run, /lib...).
#
# No systemd runs where the packages are tested, and `systemctl show` needs
# one; `systemd-analyze verify` builds the start transaction of the units
# it is given, though, and refuses an ordering cycle.  So a probe unit
# named X that wants UNIT and is ordered after it is verified: a cycle
# means UNIT is ordered after X (directly or through other units).  The
# probe shadows a real X of that name for this check only (it lives in a
# temporary directory, first in the search path).  X: .service or .target.
# Exit 2 if systemd-analyze fails otherwise, 0 else.
set -u
unit=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
for x in "$@"; do
	rm -f "$tmp"/*
	printf '[Unit]\nWants=%s\nAfter=%s\n' "$unit" "$unit" > "$tmp/$x"
	case $x in
	*.service) printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' >> "$tmp/$x" ;;
	*.target) ;;
	*) echo "unit-order: $x: only services and targets can be probed" >&2; exit 2 ;;
	esac
	out=$(systemd-analyze verify --man=no "$tmp/$x" 2>&1)
	if grep -q 'Found ordering cycle' <<< "$out"; then
		echo "$unit after $x"
	elif [ -z "$out" ]; then
		echo "$unit not after $x"
	else
		echo "$unit ? $x: $out"
		rc=2
	fi
done
exit $rc
