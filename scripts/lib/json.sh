# shellcheck shell=bash
# shellcheck disable=SC2016  # awk programs
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: the configuration file's JSON, written by save and read
# by restore, from and to "a/b/c<TAB>value" lines (one per attribute).  The
# awk programs are json-write.awk and json-read.awk, next to this file.

# Sorted, indented JSON (objects of strings only) from flattened lines.
# Keys sort as object keys would: the path separator sorts before any
# character a name may contain.
to_json() {
	$AWK -F '\t' '{ k = $1; gsub("/", "\001", k); print k "\t" $2 }' |
		sort -t "$TAB" -k1,1 |
		$AWK -F '\t' -f "$LIBDIR/json-write.awk"
}

# Accepted format: standard JSON (RFC 8259, as jq and Python write it): one
# object whose values are objects, strings, numbers, true/false (written as
# 1/0) or null (empty); every string escape, \uXXXX (surrogate pairs too)
# decoded to UTF-8.  Not part of the format: arrays.  Keys hold no "/" and
# no control character.  Output: "a/b/c<TAB>value" per leaf; a value that
# cannot be written to configfs (a control character: attributes are one
# line) comes out as "!<TAB>a/b/c<TAB>reason" and only that item fails.
# Syntax errors name the line.
from_json() {
	$AWK -v file="$1" -f "$LIBDIR/json-read.awk" "$1"
}
