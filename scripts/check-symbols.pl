#!/usr/bin/perl
# Checks docs/symbols.txt against the public headers (and, when given, the shared library).
#
#   check-symbols.pl <include-dir> <symbols.txt> [<libmodelarts.so>]
#
# A public symbol is an MA_API function, a #define MA_* macro, an MA_* enum constant or a
# typedef'd ma_* type in <include-dir>/*.h and *.h.in. Each line of symbols.txt is
# "name kind version [changed]" (changed: the release whose ABI step last changed it); every public symbol needs exactly one line, and every line a public
# symbol. The version must be the @since of the symbol's doc comment; a symbol without one
# keeps the version its line gives (docs/symbols.txt explains how those were dated), and a new
# one without @since is suggested as 0.1. With the library, its exported symbols must be the MA_API functions.
# Failures print the exact line to add, change or remove.
use strict;
use warnings;

my ($incdir, $symfile, $lib) = @ARGV;
die "usage: check-symbols.pl <include-dir> <symbols.txt> [<lib.so>]\n" unless defined $symfile;

my $DOC = qr{/\*\*((?:(?!\*/).)*)\*/}s;    # a doc comment, its text captured
my %sym;                                     # name -> [kind, version, file]

sub since_of {
    my ($doc) = @_;
    return undef unless defined $doc && $doc =~ /\@since\s+(\d+\.\d+(?:\.\d+)?)/;
    return $1;
}

sub add {
    my ($name, $kind, $doc, $file) = @_;
    my $v = since_of($doc);
    if (exists $sym{$name}) {    # a macro defined in several #if branches
        $sym{$name}[1] //= $v;
        return;
    }
    $sym{$name} = [$kind, $v, $file];
}

# Skips a comment or a string starting at $i; returns the index after it, or $i.
sub skip_lexeme {
    my ($t, $i) = @_;
    if (substr($t, $i, 2) eq '/*') {
        my $e = index($t, '*/', $i + 2);
        return $e < 0 ? length($t) : $e + 2;
    }
    if (substr($t, $i, 2) eq '//') {
        my $e = index($t, "\n", $i);
        return $e < 0 ? length($t) : $e;
    }
    return $i;
}

# The text of the statement starting at $pos up to its ';' at brace depth 0, comments removed.
sub statement_at {
    my ($t, $pos) = @_;
    my ($depth, $out) = (0, '');
    for (my $i = $pos; $i < length($t);) {
        my $j = skip_lexeme($t, $i);
        if ($j != $i) { $out .= ' '; $i = $j; next; }
        my $ch = substr($t, $i, 1);
        $depth++ if $ch eq '{';
        $depth-- if $ch eq '}';
        $out .= $ch;
        $i++;
        return $out if $ch eq ';' && $depth == 0;
    }
    return $out;
}

opendir(my $dh, $incdir) or die "cannot read $incdir: $!\n";
my @headers = sort grep { /\.h(\.in)?$/ } readdir($dh);
closedir($dh);
die "no headers in $incdir\n" unless @headers;

for my $h (@headers) {
    open(my $fh, '<', "$incdir/$h") or die "cannot read $incdir/$h: $!\n";
    my $t = do { local $/; <$fh> };
    close($fh);

    while ($t =~ m{(?:$DOC\s*)?^[ \t]*#[ \t]*define[ \t]+(MA_\w+)}gm) {
        add($2, 'macro', $1, $h);
    }
    # Functions: the doc comment right before MA_API belongs to the declaration.
    my $code = $t;
    $code =~ s{/\*.*?\*/}{ }gs;
    $code =~ s{//[^\n]*}{}g;
    $code =~ s{^[ \t]*#(?:[^\n]*\\\n)*[^\n]*}{;}gm;    # preprocessor lines end a statement
    my %fn_doc;
    while ($t =~ m{$DOC\s*MA_API\b[^;]*?\b(ma_\w+)\s*\(}gs) {
        $fn_doc{$2} = $1;
    }
    while ($code =~ m{\bMA_API\b[^;]*?\b(ma_\w+)\s*\(}gs) {
        add($1, 'function', $fn_doc{$1}, $h);
    }
    # Typedefs (structs, enums, opaque and function pointer types) and the enums' constants.
    while ($t =~ m{(?:$DOC\s*)?^typedef\b}gm) {
        my $doc = $1;
        my $start = $+[0] - length('typedef');
        my $st = statement_at($t, $start);
        my $name;
        if ($st =~ /\(\s*\*\s*(ma_\w+)\s*\)/) {
            $name = $1;
        } elsif ($st =~ /\b(ma_\w+)\s*;\s*$/) {
            $name = $1;
        }
        add($name, 'type', $doc, $h) if defined $name;
        next unless $st =~ /^typedef\s+enum\b[^{]*\{/;
        # Enum constants: the first identifier of each item; the doc comment is the one
        # before the item or the trailing /**< on its line.
        (my $body = $st) =~ s/^[^{]*\{//;
        $body =~ s/\}[^}]*$//;
        for my $item (split /,/, $body) {
            next unless $item =~ /^\s*(MA_\w+)/;
            my $n = $1;
            my $doc;
            if ($t =~ m{\b$n\b[^\n]*?/\*\*<((?:(?!\*/).)*)\*/}) {
                $doc = $1;
            } elsif ($t =~ m{/\*\*(?!<)((?:(?!\*/).)*)\*/\s*\b$n\b}s) {
                $doc = $1;
            }
            add($n, 'enum', $doc, $h);
        }
    }
}

# symbols.txt
open(my $sf, '<', $symfile) or die "cannot read $symfile: $!\n";
my (%listed, @errors);
while (my $line = <$sf>) {
    next if $line =~ /^\s*(#|$)/;
    my ($name, $kind, $version, $changed, @rest) = split ' ', $line;
    if (!defined $version || @rest || $version !~ /^\d+\.\d+(\.\d+)?$/ || $kind !~ /^(function|macro|enum|type)$/ ||
        (defined $changed && $changed !~ /^\d+\.\d+(\.\d+)?$/)) {
        push @errors, "$symfile:$.: malformed line (expected \"name kind version [changed]\"): $line";
        next;
    }
    if (exists $listed{$name}) {
        push @errors, "$symfile:$.: $name is listed twice; remove this line";
        next;
    }
    $listed{$name} = [$kind, $version, $.];
}
close($sf);

sub line_for { my ($n) = @_; return sprintf("%-44s %-9s %s", $n, $sym{$n}[0], $sym{$n}[1] // '0.1'); }

for my $n (sort keys %sym) {
    if (!exists $listed{$n}) {
        push @errors, "$n ($sym{$n}[2]) is missing from $symfile; add this line:\n    " . line_for($n);
    } elsif ($listed{$n}[0] ne $sym{$n}[0] || (defined $sym{$n}[1] && $listed{$n}[1] ne $sym{$n}[1])) {
        my $why = defined $sym{$n}[1] ? "its doc comment says \@since $sym{$n}[1]" : "it is a $sym{$n}[0]";
        push @errors, "$symfile:$listed{$n}[2]: $n: $why; change the line to:\n    "
            . sprintf("%-44s %-9s %s", $n, $sym{$n}[0], $sym{$n}[1] // $listed{$n}[1]);
    }
}
for my $n (sort keys %listed) {
    push @errors, "$symfile:$listed{$n}[2]: $n is not declared in any public header; remove this line"
        unless exists $sym{$n};
}

if (defined $lib) {
    my @exported = grep { length } map { (split ' ')[2] // '' } `nm -D --defined-only '$lib'`;
    die "nm failed on $lib\n" if $?;
    my %exp = map { $_ => 1 } @exported;
    for my $n (sort grep { $sym{$_}[0] eq 'function' } keys %sym) {
        push @errors, "$n is declared MA_API ($sym{$n}[2]) but $lib does not export it" unless $exp{$n};
    }
    for my $n (sort grep { /^ma_/ } keys %exp) {
        push @errors, "$lib exports $n, which no public header declares with MA_API"
            unless exists $sym{$n} && $sym{$n}[0] eq 'function';
    }
}

if (@errors) {
    print STDERR "$symfile does not match the public headers in $incdir:\n";
    print STDERR "  $_\n" for @errors;
    exit 1;
}
my %count;
$count{$sym{$_}[0]}++ for keys %sym;
printf "%d public symbols (%s) match %s\n", scalar(keys %sym),
    join(', ', map { "$count{$_} ${_}s" } sort keys %count), $symfile;
