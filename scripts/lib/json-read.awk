# SPDX-License-Identifier: GPL-2.0
# nvme-epf: the JSON reader of restore (from_json in json.sh, which says
# what it accepts).  Run with -v file=NAME (named in error messages).
function err(m) {
	if (!bad) printf "%s: line %d: %s\n", file, line, m > "/dev/stderr"
	bad = 1; pos = len + 1; exit 2
}
function skip(   c) {
	while (pos <= len) {
		c = substr(s, pos, 1)
		if (c == "\n") line++
		else if (c != " " && c != "\t" && c != "\r") return
		pos++
	}
}
function peek() { skip(); return substr(s, pos, 1) }
function hexval(h,   i, v) {
	v = 0; h = tolower(h)
	for (i = 1; i <= 4; i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
	return v
}
function hex4(   h) {
	h = substr(s, pos, 4)
	if (h !~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/) err("\\u needs four hex digits")
	pos += 4
	return hexval(h)
}
# Code point -> UTF-8 bytes (awk works on bytes here: LC_ALL=C).
function utf8(cp) {
	if (cp < 128) return sprintf("%c", cp)
	if (cp < 2048) return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
	if (cp < 65536)
		return sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64, 128 + cp % 64)
	return sprintf("%c%c%c%c", 240 + int(cp / 262144), 128 + int(cp / 4096) % 64,
		       128 + int(cp / 64) % 64, 128 + cp % 64)
}
function str(   o, c, cp, lo) {
	pos++; o = ""
	while (!bad) {
		if (pos > len) err("unterminated string")
		c = substr(s, pos, 1); pos++
		if (c == "\"") return o
		if (c == "\\") {
			c = substr(s, pos, 1); pos++
			if (c == "\"" || c == "\\" || c == "/") o = o c
			else if (c == "n") o = o "\n"
			else if (c == "t") o = o "\t"
			else if (c == "r") o = o "\r"
			else if (c == "b") o = o "\b"
			else if (c == "f") o = o "\f"
			else if (c == "u") {
				cp = hex4()
				if (cp >= 55296 && cp < 56320 && substr(s, pos, 2) == "\\u") {
					pos += 2; lo = hex4()
					if (lo < 56320 || lo >= 57344) err("\\u escape: unpaired surrogate")
					cp = 65536 + (cp - 55296) * 1024 + (lo - 56320)
				} else if (cp >= 55296 && cp < 57344) err("\\u escape: unpaired surrogate")
				o = o utf8(cp)
			} else err("\\" c ": not a JSON escape")
		} else if (c < " ") err("control character in a string (write it as an escape)")
		else o = o c
	}
}
function value(path,   c, k, v, sub_) {
	c = peek()
	if (c == "{") {
		pos++
		if (peek() == "}") { pos++; return }
		while (!bad) {
			if (peek() != "\"") err("expected a quoted key")
			k = str()
			if (k == "" || k ~ /[\/]/ || k ~ /[\001-\037\177]/ || k == "." || k == "..")
				err("key \"" k "\": not a name")
			if (peek() != ":") err("expected \":\" after \"" k "\"")
			pos++
			sub_ = path == "" ? k : path "/" k
			if (sub_ in seen) err("duplicate key \"" k "\"")
			seen[sub_] = 1
			value(sub_)
			c = peek(); pos++
			if (c == "}") return
			if (c == "") err("unexpected end of file")
			if (c != ",") err("expected \",\" or \"}\"")
		}
	}
	if (path == "") err("the file must hold one JSON object")
	if (c == "\"") { out(path, str()); return }
	if (c == "[") err("arrays are not part of the nvme-epf format")
	if (match(substr(s, pos, 64), /^(-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|true|false|null)/)) {
		v = substr(s, pos, RLENGTH); pos += RLENGTH
		if (v == "true") v = "1"
		else if (v == "false") v = "0"
		else if (v == "null") v = ""
		out(path, v); return
	}
	err(c == "" ? "unexpected end of file" : "unexpected \"" c "\"")
}
function out(p, v) {
	if (v ~ /[\001-\037\177]/) res[++nres] = "!\t" p "\tcontrol characters cannot be written (attributes are one line)"
	else res[++nres] = p "\t" v
}
{ s = s $0 "\n" }
END {
	if (bad) exit 2
	len = length(s); pos = 1; line = 1; nres = 0
	value("")
	if (!bad && peek() != "") err("text after the end of the object")
	if (bad) exit 2
	for (i = 1; i <= nres; i++) print res[i]
}
