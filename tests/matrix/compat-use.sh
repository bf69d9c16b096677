#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# No compat code without a user (issue 19.2): fails when
#   - a probe (SRC/probe/<name>.c, NEPF_HAVE_<NAME>) is not used by compat.h,
#   - compat.h tests a NEPF_HAVE_* that no probe defines,
#   - a file other than compat.h looks at a NEPF_HAVE_* (only compat.h may),
#   - a name compat.h defines (function, macro, struct, typedef) is used
#     neither by another file of SRC nor inside compat.h by another of its
#     definitions (the compat test module does not count as a user).
# Comments do not count as uses.  Prints one line per offender.
#
#   tests/matrix/compat-use.sh [SRC]      default: the tree's src/
set -u
src=${1:-$(cd "$(dirname "$0")/../../src" && pwd)}
[ -f "$src/compat.h" ] && [ -d "$src/probe" ] || { echo "compat-use: no $src/compat.h or $src/probe/" >&2; exit 2; }

exec perl -e '
use strict;
use warnings;
my ($src) = @ARGV;
my $bad = 0;

# The text of a C file without its comments (newlines kept).
sub code {
	my ($f) = @_;
	open(my $fh, "<", $f) or die "$f: $!\n";
	local $/;
	my $t = <$fh>;
	$t =~ s{/\*.*?\*/}{ my $c = $&; $c =~ tr/\n//cd; $c }gse;
	$t =~ s{//[^\n]*}{}g;
	return $t;
}
sub offend { print "compat-use: $_[0]\n"; $bad++; }

my @probes = map { my $n = $_; $n =~ s{.*/}{}; $n =~ s{\.c$}{};
		   (my $d = "NEPF_HAVE_\U$n") =~ tr/-/_/; $d } glob("$src/probe/*.c");
my %probe = map { $_ => 1 } @probes;
my $compat = code("$src/compat.h");
my @others = grep { !m{/compat(-generated)?\.h$} } glob("$src/*.[ch]");
my %text = map { $_ => code($_) } @others;

for my $d (@probes) {
	offend("$d (probe/) is not used by compat.h") unless $compat =~ /\b$d\b/;
}
my %tested = map { $_ => 1 } $compat =~ /\b(NEPF_HAVE_\w+)/g;
for my $d (sort keys %tested) {
	offend("compat.h tests $d, which no probe defines") unless $probe{$d};
}
for my $f (@others) {
	my %seen = map { $_ => 1 } $text{$f} =~ /\b(NEPF_HAVE_\w+)/g;
	offend("$f looks at $_ (only compat.h may)") for sort keys %seen;
}

# What compat.h defines, and on which lines.
my (%defs, %defline);
my @lines = split /\n/, $compat, -1;
for my $i (0 .. $#lines) {
	my $l = $lines[$i];
	my $name;
	if ($l =~ /^\s*#\s*define\s+(\w+)/) {
		$name = $1;
	} elsif ($l =~ /^static\s+inline\b[^(]*?\b(\w+)\s*\(/) {
		$name = $1;
	} elsif ($l =~ /^struct\s+(\w+)\s*\{/) {
		$name = $1;
	} elsif ($l =~ /^typedef\b.*\b(\w+)\s*;/) {
		$name = $1;
	}
	next unless defined $name && $name ne "NEPF_COMPAT_H";
	$defs{$name} = 1;
	$defline{$i}{$name} = 1;
}
for my $name (sort keys %defs) {
	next if grep { $text{$_} =~ /\b$name\b/ } @others;
	my $inside = 0;
	for my $i (0 .. $#lines) {
		next if $defline{$i}{$name};
		$inside = 1, last if $lines[$i] =~ /\b$name\b/;
	}
	offend("compat.h defines $name, which nothing in src/ uses") unless $inside;
}
printf "compat-use: %d probes, %d compat.h names, %d offenders\n",
	scalar @probes, scalar keys %defs, $bad;
exit($bad ? 1 : 0);
' "$src"
