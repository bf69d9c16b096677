#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The settings the tool saves and restores are the module's: for each kind
# of object, the writable attributes of its configfs type in src/ (the
# <type>_attrs[] array, less its CONFIGFS_ATTR_RO entries) must be the
# tool's list (scripts/lib/common.sh), which also gives the write order.
# A setting added to the module and not to the tool would be lost by save
# (which also refuses, at run time, to save a tree with a setting it does
# not know); one the tool lists and the module dropped would fail restore.
#
# Usage: module-attrs.sh [TOP].  Prints each difference; exit 1 if any.
set -u
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
rc=0

# module_attrs PREFIX FILE: the writable attributes of array PREFIXattrs[].
module_attrs() {
	local p=$1 f=$2 ro
	ro=$(sed -n "s/^CONFIGFS_ATTR_RO(${p}, *\([a-z0-9_]*\)).*/\1/p" "$f")
	sed -n "/^static struct configfs_attribute \*${p}attrs\[\] = {/,/^};/p" "$f" |
		sed -n "s/^[[:space:]]*&${p}attr_\([a-z0-9_]*\),.*/\1/p" |
		grep -vxF -e "${ro:-/}" | sort
}

# The tool's lists, as its library sets them.
# (Unquoted: the lists span lines.)
# shellcheck disable=SC2016  # expanded by the inner shell
tool=$(PROG=nvme-epf bash -c '. "$1/scripts/lib/common.sh" &&
	echo function $FUNC_ATTRS && echo namespace $NS_ATTRS &&
	echo subsystem $SUBSYS_ATTRS && echo rule $INJECT_ATTRS' sh "$top") ||
	{ echo "cannot read the tool's lists"; exit 1; }

for spec in function:nepf_fn_:configfs.c namespace:nepf_ns_:configfs-subsys.c \
	    subsystem:nepf_subsys_:configfs-subsys.c rule:nepf_rule_:configfs-inject.c; do
	IFS=: read -r kind p f <<< "$spec"
	m=$(module_attrs "$p" "$top/src/$f")
	[ -n "$m" ] || { echo "$kind: no ${p}attrs[] in src/$f"; rc=1; continue; }
	t=$(sed -n "s/^$kind //p" <<< "$tool" | tr -s ' \t' '\n' | grep . | sort)
	d=$(diff <(echo "$m") <(echo "$t") | sed -n 's/^< /module only: /p; s/^> /tool only: /p')
	if [ -n "$d" ]; then
		echo "$kind (src/$f, scripts/lib/common.sh):"
		echo "    ${d//$'\n'/$'\n'    }"
		rc=1
	fi
done
exit $rc
