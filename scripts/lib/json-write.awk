# SPDX-License-Identifier: GPL-2.0
# nvme-epf: sorted "key<TAB>value" lines, the key's path components joined
# by \001, to indented JSON (objects of strings only).  Run by to_json
# (json.sh) with -F '\t'.
function esc(s,   o, i, c) {
	o = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\" || c == "\"") o = o "\\"
		o = o c
	}
	return o
}
function ind(n,   o) { o = ""; while (n-- > 0) o = o "  "; return o }
BEGIN { d = 0; first[0] = 1; printf "{" }
{
	n = split($1, k, "\001")
	c = 0
	while (c < d && c < n - 1 && p[c + 1] == k[c + 1]) c++
	while (d > c) { printf "\n%s}", ind(d); d-- }
	while (d < n - 1) {
		printf "%s\n%s\"%s\": {", first[d] ? "" : ",", ind(d + 1), esc(k[d + 1])
		first[d] = 0; d++; p[d] = k[d]; first[d] = 1
	}
	printf "%s\n%s\"%s\": \"%s\"", first[d] ? "" : ",", ind(d + 1), esc(k[n]), esc($2)
	first[d] = 0
}
END { while (d > 0) { printf "\n%s}", ind(d); d-- }; printf "\n}\n" }
