// Shell command lines a researcher runs on a Debian system (dash's /bin/sh starting the root's own
// coreutils, findutils, diffutils, gawk, gzip, bzip2, xz, tar, bc, dc, perl and bash: pipelines,
// find -exec, xargs -P, $(...), here-documents, redirections, & and wait, pipeline statuses,
// SIGPIPE and signals that end a process) in an unpacked Debian root of each architecture
// (tools/i386-sysroot.sh, i386 and amd64, built once in the temporary directory, never committed).
// Oracle: the same line natively in a chroot into that root (every child exec'd from the root, as
// dbtlab -L does), in a fresh copy of the same files. stdout, stderr and exit status byte for byte.
// CI=true runs one line per architecture, each through one runtime; a full run (144 runs) takes hours.
import test from 'ava';
import { lutimesSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaptured } from '../../src/capture';
import { createScheme, RUNTIME_NAMES } from '../../src/runtimes';
import { ARCHES, canChroot, debianRoot, nativeInRoot, type Arch, type NativeRun } from './debian-root';

const PACKAGES = ['dash', 'bash', 'diffutils', 'gzip', 'bzip2', 'xz-utils', 'tar', 'bc', 'dc', 'perl'];
const ENV = ['PATH=/usr/bin:/bin', 'LC_ALL=C', 'TZ=UTC', 'HOME=/w'];

const LINES: string[] = [
  `sort in.txt | md5sum; sort -k2,2n -t' ' in.txt | tail -3; sort -u in.txt | wc -l; sort -r -n -k2 in.txt | head -2`,
  `cut -d' ' -f1 in.txt | sort | uniq -c | sort -k1,1nr -k2 | head -5; cut -c2-4 in.txt | uniq -d | head -3`,
  `wc in.txt; wc -l -w -c -m in.txt; tr a-z A-Z < in.txt | tr -s 'A' | head -3; tr -d 0-9 < in.txt | tr -cd 'a-f\\n' | head -3`,
  `od -A x -t x1z -N 48 in.txt; od -t d4 -N 16 in.txt; od -c -N 20 in.txt; od -t f8 -N 16 /dev/zero`,
  `sha256sum in.txt; sha1sum in.txt; md5sum in.txt; b2sum in.txt; sha512sum in.txt; cksum in.txt; sum in.txt`,
  `base64 in.txt | head -3; base64 in.txt | base64 -d | cmp - in.txt && echo same; base64 -w 0 < /dev/null; echo x | base64 -d; echo rc=$?`,
  `seq 5; seq 1 0.5 3; seq -w 8 12; seq -f '%.3e' 1 3; seq 1000000 | tail -1; printf '%d %5.2f %s %x %o %e %g %c|%-6s|\\n' 42 3.14159 str 255 8 12345.678 0.0001 A ab; printf '%b\\n' 'a\\tb\\x41'; printf '%.20Lf %a\\n' 3.14159265358979323846 0.1`,
  `date -d @0 -u; date -u -d @1234567890 '+%F %T %s %A %j %U'; date -u -d '2020-02-29 12:34:56' +%s; date -d @86399 +%c; date -d 'bogus'; echo rc=$?`,
  `stat -c '%n %s %a %F %h %Y %U %G' d d/a d/b d/b/c d/l; ls -la d/b; ls -l --time-style=full-iso d; ls -lR d; ls -la nosuch; echo rc=$?`,
  `grep -c -E '^(fig|kiwi) [0-9]{3,5}' in.txt; grep -n 'plum 9' in.txt | head -3; grep -o -E '[0-9]+ [a-z]+$' in.txt | sort | tail -2; grep -v -i APPLE in.txt | wc -l; grep -P '^\\w+ (\\d)\\1' in.txt | head -3; grep -q nosuch in.txt; echo rc=$?; grep -rl o d | sort; grep nosuch nofile; echo rc=$?`,
  `sed -n 's/^\\([a-z]*\\) \\([0-9]*\\).*/\\2:\\1/p' in.txt | sort -t: -k1,1n | tail -2; sed -E 's/(a+)(b*)/[\\2\\1]/g;y/xyz/XYZ/' in.txt | head -3; sed '1~3d;$!N;s/\\n/+/' in.txt | head -3; sed -n '/^fig/{=;p;q}' in.txt; sed 's/(/' in.txt; echo rc=$?`,
  `gawk '{ n[$1]++; s += $2 } END { PROCINFO["sorted_in"]="@ind_str_asc"; for (w in n) print w, n[w]; printf "%.6f %e %d\\n", s/NR, s*1.5, NR }' in.txt; gawk 'BEGIN { printf "%.17g %.10e %d\\n", atan2(1,1)*4, exp(10), 2^53+1; print sin(1), cos(1), log(10), sqrt(2), int(-3.7), 7%3, -7%3; print toupper(substr("hello", 2, 3)), index("abc","c"), length("xyz"); split("a:b:c", a, ":"); print a[3]; print gensub(/(o+)/, "<\\\\1>", "g", "foo boo"); srand(1); print rand() }'; gawk 'match($0, /[0-9]+/, m) && NR<4 { print m[0] }' in.txt`,
  `find d -type f | sort; find d -type f | sort | xargs wc -c; find . -name '*.txt' -type f; find d -type f -print0 | sort -z | xargs -0 cat | md5sum; find d -printf '%p %d %m %s %y\\n' | sort; find d -name 'c*' -exec echo found {} \\;`,
  `printf 'a\\nb\\nc\\nd\\n' > l1; printf 'a\\nB\\nc\\ne\\nf\\n' > l2; diff l1 l2; echo rc=$?; diff -u l1 l2 | tail -n +3; diff -q l1 l1; echo rc=$?; cmp l1 l2; echo rc=$?; diff3 l1 l2 l1; sdiff -w 40 l1 l2; echo rc=$?; diff -r d d; echo rc=$?`,
  `gzip -9 -c in.txt > a.gz && gzip -t a.gz && gzip -dc a.gz | cmp - in.txt && wc -c < a.gz; gzip -l a.gz | tail -1 | tr -s ' '; printf xyz | gzip -n | od -A n -t x1; gzip -n -c in.txt | md5sum; zcat a.gz | tail -1; echo junk | gzip -dc; echo rc=$?`,
  `bzip2 -c in.txt | bzip2 -dc | md5sum; bzip2 -9 -c in.txt | wc -c; bzip2 -c in.txt | md5sum; echo bad | bzip2 -dc; echo rc=$?`,
  `xz -c in.txt > a.xz && xz -dc a.xz | md5sum && xz -l a.xz | tail -1 | tr -s ' '; xz -6e -c in.txt | md5sum; xz -dc < in.txt; echo rc=$?`,
  `tar cf t.tar d in.txt; tar tf t.tar; tar tvf t.tar --numeric-owner d | gawk '{print $1, $2, $3, $6}'; mkdir x && tar xf t.tar -C x && diff -r d x/d && echo same; tar czf - d | tar tzf - | sort; tar cf - d | md5sum; tar tf nosuch.tar; echo rc=$?`,
  `echo 'scale=30; 4*a(1); sqrt(2); 2^100; 7/3; e(1); l(10); s(1); c(1)' | bc -l; echo 'obase=16; 255; ibase=2; 1010' | bc; echo '1/0' | bc; echo rc=$?; echo 'define f(n) { if (n<2) return n; return f(n-1)+f(n-2) }; f(20)' | bc`,
  `echo '2 100 ^ p 16 o 255 p 10 o 3 k 1 3 / p' | dc; dc -e '[1 + d 10 >a] sa 0 la x p'; dc -e '1 0 / p'; echo rc=$?; dc -e '2 v p 20 k 2 v p'`,
  `perl -e 'printf("%.17g %.10e %s\\n", 1/3, exp(1), 2**0.5); print join(",", map { $_*$_ } 1..5), "\\n"; my %h; $h{$_ % 7} += sqrt($_) for 1..5000; printf "%d %.12f\\n", $_, $h{$_} for sort keys %h'`,
  `perl -ne 'if (/^(\\w+) (\\d+) (\\w+)$/ && $2 % 97 == 0) { print "$3-$1\\n" }' in.txt | sort | uniq -c | sort -rn | head -3; perl -le 'print for sort { $a <=> $b } map { int(sin($_) * 1e6) } 1..6; print sprintf("%x %o %b %e", 255, 8, 5, 1e-300*1e-10); $_="aaa bbb"; s/(\\w)\\1+/$1/g; print'; perl -e 'pipe(R,W); my $p=fork; if(!$p){close R; print W "kid\\n"; exit 9} close W; print scalar <R>; waitpid($p,0); print $?>>8, "\\n"; die "bye\\n"'; echo rc=$?`,
  `seq 1000 | sort -r | head -5; seq 1 12 | xargs -n 3 sh -c 'echo $(( $1 * $2 * $3 ))' x; (echo a; exit 3) | cat; echo \${?}; sh -c 'exit 7'; echo st=$?; for i in 1 2 3; do (echo job $i > j$i) & done; wait; cat j1 j2 j3; sh -c 'kill -TERM $$'; echo rc=$?; nosuchcmd; echo rc=$?`,
  `bash -c 'a=(3 1 2); echo \${#a[@]} \${a[@]:1}; declare -A m=([x]=1 [y]=2); echo \${!m[@]} | tr " " "\\n" | sort | tr "\\n" " "; echo; echo $((2**62)) $((-7/2)) $((7%-3)); printf -v v "%05d" 42; echo $v; s=hello; echo \${s^^} \${s:1:3} \${s/l/L}; set -o pipefail; false | true; echo pf=$?; diff <(seq 3) <(seq 3) && echo same; x=$(seq 3 | tac | paste -sd,); echo $x; trap "echo got USR1" USR1; kill -USR1 $$; echo after; ( kill -TERM $BASHPID ); echo rc=$?; echo \${PIPESTATUS[@]}'`,
  `yes abc | head -n 3; yes | (head -c 1 >/dev/null); echo \${?}; seq 100000 | head -1; timeout 1 sleep 5; echo rc=$?; timeout -s KILL 1 sleep 5; echo rc=$?`,
  `split -l 700 in.txt part_; ls part_* | wc -l; cat part_* | cmp - in.txt && echo joined; factor 600851475143 4294967297 18446744073709551557; numfmt --to=iec 123456789; expr 7 \\* 6 + 1; tac in.txt | head -2; head -c 100 in.txt | fold -w 30; echo; shuf --random-source=in.txt -n 3 in.txt; nl -ba l? 2>&1 | head -2`,
  `dd if=in.txt bs=100 skip=3 count=2 status=none | od -c | head -3; dd if=/dev/zero bs=1k count=64 2>/dev/null | gzip -n | wc -c; truncate -s 1M sp; stat -c '%s' sp; ln -s in.txt s; readlink s; ln in.txt h; stat -c '%h' in.txt; chmod 640 h; stat -c %a in.txt; mv h g; ls g s; rm g s; ls g; echo rc=$?`,
  `sh -c 'seq 20 | grep 1 | sort -r | head -3'; find d -type f -exec wc -c {} + | sort; find d -type f -exec sh -c 'echo "$1" $(wc -l < "$1")' _ {} \\; | sort; find d -name a -exec false {} \\; ; echo rc=$?`,
  `tar cf - d in.txt | gzip -n | gunzip | tar tf -; tar cf - in.txt | gzip -c | gzip -dc | tar xOf - | md5sum; tar cf - d | gzip | gunzip | tar tvf - --numeric-owner | sort | cut -c1-30`,
  `seq 1 8 | xargs -P2 -n1 sh -c 'echo $(($1*$1)) > sq$1' x; cat sq* | sort -n | tr '\\n' ' '; echo; printf '%s\\n' a b c d | xargs -P2 -I{} sh -c 'echo {} > x_{}'; ls x_* | tr '\\n' ' '; echo; x=$(echo $(seq 3) | tr ' ' +); echo $(( $x )); echo $(echo $(echo deep)); n=$(find d -type f | wc -l); echo n=$n; echo "$(printf 'a\\n\\n\\n')" | od -c`,
  `{ echo out; echo err >&2; } 2>&1 >/dev/null | cat; exec 3>f3; echo three >&3; exec 3>&-; cat f3; cat < in.txt > c1 2>c2; cmp c1 in.txt && echo same; echo app >> c2; cat c2; ls nosuch 2>&1 | head -1; echo x >&-; echo rc=$?; cat 0<&- ; echo rc=$?`,
  `sleep 0.2 & p=$!; (exit 5) & q=$!; wait $q; echo q=$?; wait $p; echo p=$?; for i in 1 2 3; do (sh -c "exit $i") & done; wait; echo all; sh -c 'sleep 10 & kill $!; wait $!; echo killed=$?'; (sleep 0.1; echo late) & echo early; wait`,
  `yes | head -1; yes | head -c 5 | wc -c; (yes; echo yes-rc=$? >&2) | head -1; bash -c 'set -o pipefail; yes | head -1 > /dev/null; echo pf=$? \${PIPESTATUS[@]}'; bash -c 'yes | head -2; echo \${PIPESTATUS[@]}'; seq 100000 | (read x; echo $x); false | true; echo $?; true | false; echo $?; ! false; echo $?`,
  `cat <<EOF\na $((1+2))\nb $(echo sub) $HOME\nEOF\ncat <<'E'\n$HOME raw\nE\nwc -l <<EOF\n1\n2\nEOF\nbash -c 'cat <<< "here string"; read a b <<< "x y"; echo $b$a; while read l; do echo "<$l>"; done < <(seq 3); mapfile -t arr < <(seq 5); echo \${arr[2]}'`,
  `sh -c 'trap "echo term; exit 3" TERM; kill -TERM $$; echo never'; echo rc=$?; sh -c 'kill -9 $$'; echo rc=$?; sleep 5 & kill -INT $!; wait $!; echo int=$?; bash -c 'sleep 5 & kill -HUP $!; wait $!; echo hup=$?' 2>/dev/null; timeout -s INT 0.5 yes > /dev/null; echo rc=$?; bash -c 'coproc cat; echo hi >&\${COPROC[1]}; read -u \${COPROC[0]} r; echo $r'`,
  `seq 200000 | sort --parallel=2 -S 64K -n -r | head -3; seq 30000 | sort --parallel=2 -S 32K -R --random-source=in.txt | md5sum; xz -T2 -c in.txt | xz -dc -T2 | md5sum; seq 100000 | sort --parallel=2 | tail -1`,
];
/**
 * [line index, arch, runtime index] CI runs: two short multi-process lines (diff, cmp, diff3, sdiff;
 * & and wait, kill). At a load of 27 on 2 cores they took 37 s and 40 s, the two roots' download 43 s.
 */
const CI_RUNS: Array<[number, Arch, number]> = [
  [13, 'i386', 0],
  [31, 'amd64', 1],
];

const root = (arch: Arch): string => debianRoot('sweep', arch, PACKAGES);

/** /w/NAME in the root, emptied, with the sweep's files: in.txt (2000 lines) and a tree d/ whose mtimes are all 0. */
function freshDir(arch: Arch, name: string): string {
  const dir = join(root(arch), 'w', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'd', 'b'), { recursive: true });
  const w = ['apple', 'banana', 'cherry', 'fig', 'kiwi', 'plum', 'quince', 'grape', 'lemon', 'mango'];
  const lines = Array.from({ length: 2000 }, (_, i) => `${w[(i * 7) % 10]} ${(i * 7919) % 100000} ${w[(i * 3 + 1) % 10]}\n`);
  writeFileSync(join(dir, 'in.txt'), lines.join(''));
  writeFileSync(join(dir, 'd', 'a'), 'alpha\n', { mode: 0o644 });
  writeFileSync(join(dir, 'd', 'b', 'c'), 'gamma one\ntwo\n', { mode: 0o644 });
  symlinkSync('a', join(dir, 'd', 'l'));
  lutimesSync(join(dir, 'd', 'l'), 0, 0);
  for (const p of ['d/a', 'd/b/c', 'd/b', 'd']) utimesSync(join(dir, p), 0, 0);
  return dir;
}

/** The line natively: chroot into the root (the host's /proc and /dev bound in), stdio through files. */
function native(arch: Arch, line: string, name: string): NativeRun {
  const dir = freshDir(arch, `${name}-native`);
  return nativeInRoot(root(arch), ['/proc', '/dev'], `/w/${name}-native`, ENV, ['/bin/sh', '-c', line], `${dir}.io`);
}

const runs: Array<[number, Arch, number]> =
  process.env.CI === 'true' ? CI_RUNS : LINES.flatMap((_, i) => ARCHES.flatMap((a) => RUNTIME_NAMES.map((_r, k): [number, Arch, number] => [i, a, k])));
for (const [i, arch, k] of runs) {
  const runtime = RUNTIME_NAMES[k];
  const define = canChroot ? test : test.skip;
  define(`${arch} line ${i + 1} through ${runtime}: ${LINES[i].slice(0, 60)}${canChroot ? '' : ' [needs root for chroot]'}`, (t) => {
    const name = `${arch}-L${i + 1}`;
    const n = native(arch, LINES[i], name);
    const cwd = freshDir(arch, `${name}-${runtime}`);
    const r = runCaptured(createScheme(runtime), { elf: '/bin/sh', argv: ['/bin/sh', '-c', LINES[i]], envp: ENV, sysroot: root(arch), cwd });
    t.is(r.error, undefined);
    t.is(r.stdout.toString('latin1'), n.stdout);
    t.is(r.stderr.toString('latin1'), n.stderr);
    t.is(r.status, n.status);
  });
}
