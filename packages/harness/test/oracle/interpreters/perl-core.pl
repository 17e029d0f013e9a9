# perl-base only: regexes, sprintf of floats, sort, pack/unpack, hashes, fork/pipe/wait, time with TZ=UTC
use strict; use warnings; use POSIX qw(floor ceil fmod strftime); use List::Util qw(sum max min reduce shuffle);
my @out;
sub p { push @out, join('', @_) }
p(sprintf('%.17g %.10e %.3f %g %g %a', 1/3, exp(1), -2.0005, 1e-5, 123456789012, 0.1));
p(sprintf('%.20g %s %s %s', 2**64, 9**20, -0.0, 1e300*1e10));
p(join ',', map { sprintf '%.15g', $_ } (sin(1), cos(2), atan2(1, 3), log(10), sqrt(3), 10**0.5, floor(-2.5), ceil(2.1), fmod(10, 3)));
my $s = 'The quick brown fox jumps over the lazy dog 42 times, 3.14 ok';
p(join '|', $s =~ /(\w+)\s+(\w+)$/, scalar(() = $s =~ /o/g), ($s =~ s/(\d+)/<$1>/gr));
p(join '|', map { lc } grep { /^[A-Z]|x/ } split /\s+/, $s);
(my $t = $s) =~ tr/a-z/A-Z/; p($t);
p(join ',', 'aaa bbb ccc' =~ /(?<w>\w)\g{w}+/g);
p(join ',', sort { $b <=> $a || $a cmp $b } (10, 9, 100, 1, 55, 5, 9.5));
my %h; $h{$_ % 17} .= chr(97 + $_ % 26) for 1..500;
p(join ' ', map { "$_=" . substr($h{$_}, 0, 5) . length($h{$_}) } sort { $a <=> $b } keys %h);
my $packed = pack('NnCa4Z*dfw/a*q<', 0xdeadbeef, 513, 7, 'ab', 'zed', 1/7, 0.1, 'len', -5);
p(unpack('H*', $packed));
p(join ',', unpack('NnCa4Z*dfw/a*q<', $packed));
p(join ',', unpack('%32C*', 'checksum me'), unpack('b*', 'A'), length(pack('x5 A3', 'q')));
p(join ',', sum(1..1000), max(3, 9, 2), min(3, 9, 2), reduce { $a * $b } 1..15);
my $big = 1; $big *= $_ for 1..25; p(sprintf('%.0f %s %d', $big, $big, 2**53 + 1));
p(strftime('%Y-%m-%d %H:%M:%S %j %a %Z', gmtime(1234567890)), ' ', scalar(localtime(0)), ' ', join(',', (localtime(86400 * 400))[3..7]));
pipe(my $r, my $w) or die;
my @kids;
for my $i (1..3) {
  my $pid = fork;
  if ($pid == 0) { close $r; print $w "child $i ", $i * $i, "\n"; close $w; exit $i }
  push @kids, $pid;
}
close $w;
my @lines = sort <$r>; chomp @lines; p(join ';', @lines);
my @st; for my $k (@kids) { waitpid($k, 0); push @st, $? >> 8 } p(join ',', @st);
my $o = `echo sub-shell; exit 4`; p($o =~ s/\n//r, ' ', $? >> 8);
p(join ',', map { sprintf '%08.3f', $_ } (3.14159, -2.5, 1e3));
p(sprintf('%s %s', 0.1 + 0.2, 1e21), ' ', 0.1 + 0.2 == 0.3 ? 'eq' : 'ne', ' ', 7 <=> 3, ' ', 'abc' x 3);
p(join ',', map { ord } split //, "\x{e9}\x{263a}");
print "$_\n" for @out;
