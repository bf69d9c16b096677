#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The man page's dash guard (make check-pkg): what a reader types must
render as ASCII "-" on every groff.

In roff, "-" is a hyphen and "\\-" the minus/hyphen-minus that commands
and options need.  Debian's groff maps both to ASCII on UTF-8 terminals,
so a page can look right there and still give U+2010 HYPHEN to a reader
elsewhere (groff upstream, or any PDF/HTML rendering), which the shell
does not take: "\u2010\u2010queues" is no option.  Lintian no longer checks
this (hyphen-used-as-minus-sign was dropped), so this script does:

  1. groff -ww prints no warning for the page;
  2. the page is rendered (-Tutf8, overstrike fonts) with "-" forced to
     U+2010 and "\\-" to ASCII, without automatic hyphenation unless the
     page asks for it itself; a word is wrong when it contains U+2010 and
       - any of its characters is bold or italic (a command, an option, a
         path, a literal: the man-pages(7) conventions), or
       - it starts with it (an option in roman text, or "-" for stdin), or
       - it also holds an ASCII "-" (half escaped, like \\-\\-queue-depth).
     Example blocks (.nf/.EX) count as literal.
     A literal split at a line end by the page's own hyphenation shows
     as U+2010 in a bold or italic word, and is reported too.

Usage: man-dashes.py PAGE.  Prints each offending word with its line of
output; exit 1 if any (or a groff warning), 0 otherwise.
"""
import subprocess
import sys
import tempfile

HY = "\u2010"


def render(page):
    """The page's output lines as lists of (char, font) pairs."""
    with open(page, encoding="utf-8") as f:
        src = f.read().splitlines()
    out = []
    for line in src:
        # Example blocks are typed as they stand: checked as literals
        # (set in bold in this copy only).
        if line.split()[:1] in ([".fi"], [".EE"]):
            out.append(".ft R")
        out.append(line)
        # After .TH: an.tmac and Debian's man.local have done their own
        # mapping by then.
        if line.startswith(".TH "):
            out += [".char - \\[hy]", ".char \\- \\N'45'"]
        if line.split()[:1] in ([".nf"], [".EX"]):
            out.append(".ft B")
    with tempfile.NamedTemporaryFile("w", suffix=".8", encoding="utf-8") as t:
        t.write("\n".join(out) + "\n")
        t.flush()
        r = subprocess.run(["groff", "-man", "-Tutf8", "-P-c", "-rLL=78n", t.name],
                           capture_output=True, text=True, encoding="utf-8", check=True)
    lines = []
    for raw in r.stdout.splitlines():
        cells, i = [], 0
        while i < len(raw):
            if i + 2 < len(raw) and raw[i + 1] == "\b":
                a, b = raw[i], raw[i + 2]
                cells.append((b, "I" if a == "_" and b != "_" else "B"))
                i += 3
                # Bold may be struck more than twice.
                while i + 1 < len(raw) and raw[i] == "\b":
                    i += 2
            else:
                cells.append((raw[i], "R"))
                i += 1
        lines.append(cells)
    return lines


def words(cells):
    """Blank-separated words of one output line, as lists of cells."""
    w = []
    for c in cells:
        if c[0].isspace():
            if w:
                yield w
            w = []
        else:
            w.append(c)
    if w:
        yield w


def main():
    page = sys.argv[1]
    bad = 0
    warn = subprocess.run(["groff", "-man", "-ww", "-z", page],
                          capture_output=True, text=True, check=False)
    if warn.returncode or warn.stderr.strip():
        print(f"{page}: groff -ww:\n{warn.stderr.strip()}")
        bad = 1
    for cells in render(page):
        text = "".join(c for c, _ in cells).rstrip()
        for w in words(cells):
            chars = "".join(c for c, _ in w)
            if HY not in chars:
                continue
            lead = chars.lstrip("([{\"'|=")
            why = None
            if any(f != "R" for c, f in w if c.isalnum() or c in "-" + HY):
                why = "literal (bold/italic) with a hyphen: write \\-"
            elif lead.startswith(HY):
                why = "starts with a hyphen (an option?): write \\-"
            elif "-" in chars:
                why = "half escaped: write every - as \\-"
            if why:
                print(f"{page}: {chars}: {why}\n    | {text.strip()}")
                bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
