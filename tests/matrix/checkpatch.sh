#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict (from Debian's linux-source-6.12) on the driver and
# the test harness module.  Exit 1 when checkpatch reports any ERROR.
#   tests/matrix/checkpatch.sh [FILE...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../infra/common.sh"
. "$here/../infra/roots.sh"

cp_dir=$NEPF_CACHE/checkpatch-6.12
get_checkpatch() {
	[ -e "$cp_dir/.complete" ] && return 0
	local tmp=$cp_dir.tmp
	rm -rf "$tmp" && mkdir -p "$tmp"
	(cd "$tmp" && nepf_apt trixie download -q linux-source-6.12 >&2) || return 1
	dpkg-deb --fsys-tarfile "$tmp"/linux-source-6.12_*.deb |
		tar -xOf - ./usr/src/linux-source-6.12.tar.xz |
		tar -C "$tmp" -xJf - --strip-components=2 linux-source-6.12/scripts/checkpatch.pl \
			linux-source-6.12/scripts/spelling.txt \
			linux-source-6.12/scripts/const_structs.checkpatch || return 1
	rm -f "$tmp"/*.deb
	touch "$tmp/.complete"
	rm -rf "$cp_dir" && mv "$tmp" "$cp_dir"
}
nepf_locked apt-trixie nepf_apt_update trixie
nepf_locked checkpatch get_checkpatch || nepf_die "cannot get checkpatch.pl"

cd "$NEPF_TOP"
if [ $# -gt 0 ]; then
	files=("$@")
else
	files=(src/*.[ch] tests/vepc/*.[ch])
fi
errors=0 warnings=0 checks=0
for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	[ "$(basename "$f")" = compat-generated.h ] && continue
	o=$(perl "$cp_dir/checkpatch.pl" --strict --no-tree --no-summary --terse \
		--show-types -f "$f" 2>&1)
	e=$(grep -c ': ERROR:' <<< "$o") w=$(grep -c ': WARNING:' <<< "$o")
	c=$(grep -c ': CHECK:' <<< "$o")
	[ -n "$o" ] && echo "$o"
	errors=$((errors + e)) warnings=$((warnings + w)) checks=$((checks + c))
done
echo "checkpatch: ${#files[@]} files, $errors errors, $warnings warnings, $checks checks"
[ "$errors" -eq 0 ]
