#!/usr/bin/perl
# No public declaration may claim a version the project has not reached yet: every `@since X.Y`
# in the public headers and every version in docs/symbols.txt must be at most the project's
# major.minor, or a user guarding with MA_VERSION_AT_LEAST() on a documented feature is refused.
#
#   check-since.pl <include-dir> <symbols.txt> <project-version>
use strict;
use warnings;

my ($incdir, $symfile, $version) = @ARGV;
die "usage: check-since.pl <include-dir> <symbols.txt> <project-version>\n" unless defined $version;
my ($pmaj, $pmin) = $version =~ /^(\d+)\.(\d+)/ or die "check-since: bad project version '$version'\n";
my $project = $pmaj * 1000 + $pmin;
my $bad = 0;
my $seen = 0;

sub check {
    my ($where, $v) = @_;
    my ($maj, $min) = split /\./, $v;
    $seen++;
    return if $maj * 1000 + $min <= $project;
    print "$where: $v is newer than the project version $version\n";
    $bad++;
}

opendir(my $dh, $incdir) or die "check-since: cannot open $incdir: $!\n";
for my $f (sort grep { /\.h(\.in)?$/ } readdir $dh) {
    open(my $fh, '<', "$incdir/$f") or die "check-since: cannot read $f: $!\n";
    while (my $line = <$fh>) {
        check("$f:$.", $1) while $line =~ /\@since\s+(\d+\.\d+)/g;
    }
}
open(my $sh, '<', $symfile) or die "check-since: cannot read $symfile: $!\n";
while (my $line = <$sh>) {
    next if $line =~ /^\s*(#|$)/;
    my @f = split ' ', $line;
    die "check-since: $symfile:$.: expected 'name kind version [changed]'\n"
        unless (@f == 3 || @f == 4) && $f[2] =~ /^\d+\.\d+(\.\d+)?$/ && (@f == 3 || $f[3] =~ /^\d+\.\d+(\.\d+)?$/);
    check("$symfile:$. ($f[0])", $_) for @f[2 .. $#f];
}
die "check-since: no \@since found under $incdir\n" unless $seen;
exit($bad ? 1 : 0);
