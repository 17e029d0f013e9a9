// Shell command lines of real Debian i386 programs (bash-static and busybox-static, from
// tools/debian-i386-programs.sh) held against Linux's own i386 ABI (this kernel, or the kernel VM of
// tools/kernel-vm.sh): pipelines, redirections, here-documents, subshells, $(...), traps and
// kill, wait and exit statuses, read loops, globbing, arithmetic, printf, test, file operations,
// ulimit, umask, cd, exec, <(...) and >(...) and /dev/stderr, and external commands (x86-64 ones from /usr/bin included). Every
// line runs in a fresh directory of the same path on both sides: stdout, stderr and exit status
// of both runtimes must equal Linux's. All of Linux's runs are one job (in the VM, one boot).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCaptured } from '../../src/capture';
import { createScheme, RUNTIME_NAMES } from '../../src/runtimes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, NO_LINUX_I386, runOnLinuxI386 } = require('../../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  NO_LINUX_I386: string;
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; stderr: string; status: number };
};

const programs = execFileSync('bash', [resolve(__dirname, '../../../../tools/debian-i386-programs.sh')], { encoding: 'utf8' }).trim();
const BB = join(programs, 'bin', 'busybox');
const BASH = join(programs, 'bin', 'bash-static');
const tmp = testTmpDir('dbtlab-shell-lines-');

const BASH_LINES: string[] = [
  `echo one two | ${BB} tr a-z A-Z | ${BB} cat -n; echo "\${PIPESTATUS[@]}"; false | true; echo "\${PIPESTATUS[@]}"`,
  `exec 3>out; echo x >&3; echo y 1>&3; exec 3>&-; ${BB} cat out; echo err >&2; ${BB} ls nosuch 2>/dev/null; echo $?; echo appended >>out; ${BB} wc -l <out`,
  `while read -r l; do echo "[$l]"; done <<'EOF'\n a b \n$((1+2))\nEOF\n${BB} cat <<EOF\nsum $((1+2)) \${UNSET:-dflt}\nEOF`,
  `(umask 077; : > f; umask); umask; ${BB} stat -c %a f; x=$( (echo in; echo err >&2) 2>&1 ); echo "<$x>"`,
  `echo $(echo $(echo nested) $(( $(echo 6) * 7 ))); a=\`echo back\`; echo $a`,
  `trap 'echo got TERM' TERM; kill -TERM $$; echo after; trap - TERM; trap 'echo bye $?' EXIT; (exit 3); exit 3`,
  `${BB} sleep 5 & p=$!; kill -TERM $p; wait $p 2>/dev/null; echo "st=$?"; ${BB} sleep 5 & kill -HUP $!; wait $! 2>/dev/null; echo "st=$?"`,
  `printf '1 2\\n3 4\\n5 6\\n' | while read a b; do echo $((a*b)); done; IFS=: read -r u p rest <<< "root:x:0:0"; echo "$u|$p|$rest"`,
  `${BB} touch a1 a2 b1 .h; echo a*; echo [ab]1; echo ?2; echo z*; shopt -s nullglob; echo z*; shopt -s dotglob; echo *; echo **`,
  `echo $(( (7<<3) % 5 )) $((2**31)) $(( -7/2 )) $(( -7%3 )) $((0x1f)) $((8#17)) $(( 1 ? 2 : 3 )); let x=5 y=x*2; echo $x $y; echo $((1/0)); echo after`,
  `printf '%x %o %X %5.2f|%-4s|%4s|%c|%%|%b\\n' 255 8 3054 3.14159 ab cd xyz 'a\\tb'; printf '%s\\n' a b c; printf -v v '%03d' 7; echo $v; printf '%d\\n' abc; echo $?`,
  `[ -d . ] && [ ! -f nosuch ] && test 3 -lt 10; echo $?; [[ -e /proc/self ]]; echo $?; test -z ""; echo $?; [ a = b ]; echo $?; [ 1 -eq x ]; echo $?; [[ abc =~ ^a(b)c$ ]] && echo \${BASH_REMATCH[1]}`,
  `mkdir d; echo hi > d/f; mv d/f d/g; ln d/g h; ln -s h s 2>/dev/null || ${BB} ln -s h s; ${BB} cat h s; ${BB} ls -la d | ${BB} wc -l; rm -r d 2>&1 || ${BB} rm -r d; echo *`,
  `(exit 4) & (exit 5) & wait %1; echo $?; wait; echo $?; ${BB} true & wait $!; echo $?; wait 99999; echo $?`,
  `false; echo $?; ! true; echo $?; ${BB} sh -c 'exit 200'; echo $?; ${BB} sh -c 'kill -TERM $$'; echo $?; nosuchcmd; echo $?; ./nosuch; echo $?`,
  `ulimit -n; ulimit -c 0; ulimit -c; ulimit -S -n 64; ulimit -n; ulimit -v 100000; ulimit -v; ulimit -f; ulimit -H -n 99999999 2>&1; echo $?`,
  `mkdir -p x/y; cd x/y; pwd; cd ..; echo \${PWD##*/}; cd -; cd nosuch; echo $?; cd /; pwd; cd; echo $?`,
  `exec 2>&1; echo to-err >&2; exec ${BB} echo replaced; echo never`,
  `set -e; trap 'echo trapped $?' EXIT; echo start; false; echo no`,
  `set -- a "b c" d; echo $#; shift; echo "$@"; for a in "$@"; do echo "<$a>"; done; OPTIND=1; getopts ab: o -b x; echo $o $OPTARG; IFS=,; echo "$*"`,
  `trap 'echo usr1' USR1; ${BB} sh -c "kill -USR1 $$"; echo next; kill -l 15; kill -l TERM; kill -0 $$; echo $?; kill -0 99999; echo $?`,
  `printf 'b\\na\\n' >u; ${BB} diff <(${BB} sort u) <(${BB} sort -r u | ${BB} tac) && echo same; ${BB} tee >(${BB} tr x y >t) <<<x >/dev/null; wait $!; ${BB} cat t; (echo to-err >/dev/stderr) 2>&1 | ${BB} tr a-z A-Z; ${BB} cat /dev/fd/0 <u`,
  `for f in 1 2 3; do case $f in 1) echo one;; 2|3) echo many;; esac; done; x=abcdef; echo \${x:1:3} \${x#a*c} \${x%e*} \${#x} \${x/cd/CD} \${x^^}`,
];

const BUSYBOX_SH_LINES: string[] = [
  `echo one two | tr a-z A-Z | cat -n; false | true; echo $?; seq 3 | sort -r | head -n 2`,
  `exec 3>out; echo x >&3; exec 3>&-; cat out; echo err >&2; ls nosuch 2>/dev/null; echo $?; echo app >>out; wc -l <out`,
  `while read -r l; do echo "[$l]"; done <<'EOF'\n a b \nline2\nEOF\ncat <<EOF\nsum $((1+2)) \${UNSET:-dflt}\nEOF`,
  `(umask 077; : > f; umask); umask; stat -c %a f; x=$( (echo in; echo err >&2) 2>&1 ); echo "<$x>"`,
  `echo $(echo $(echo nested) $(( $(echo 6) * 7 ))); a=\`echo back\`; echo $a`,
  `trap 'echo got TERM' TERM; kill -TERM $$; echo after; trap - TERM; trap 'echo bye $?' EXIT; (exit 3); exit 3`,
  `sleep 5 & p=$!; kill -TERM $p; wait $p 2>/dev/null; echo "st=$?"; sleep 5 & kill -HUP $!; wait $! 2>/dev/null; echo "st=$?"`,
  `printf '1 2\\n3 4\\n' | while read a b; do echo $((a*b)); done; echo "root:x:0" | { IFS=: read u p r; echo "$u|$p|$r"; }`,
  `touch a1 a2 b1 .h; echo a*; echo [ab]1; echo ?2; echo z*; echo *`,
  `echo $(( (7<<3) % 5 )) $((2*31)) $(( -7/2 )) $(( -7%3 )) $((0x1f)) $(( 1 ? 2 : 3 )); x=5; : $((x+=2)); echo $x; echo $((1/0)); echo after`,
  `printf '%x %o %X %5.2f|%-4s|%4s|%c|%%|%b\\n' 255 8 3054 3.14159 ab cd xyz 'a\\tb'; printf '%s\\n' a b; printf '%d\\n' abc; echo $?`,
  `[ -d . ] && [ ! -f nosuch ] && test 3 -lt 10; echo $?; test -z ""; echo $?; [ a = b ]; echo $?; [ 1 -eq x ]; echo $?; [ -e /proc/self ]; echo $?`,
  `mkdir d; echo hi > d/f; mv d/f d/g; ln d/g h; ln -s h s; cat h s; ls -la d | wc -l; rm -r d; ls; cp h h2; chmod 640 h2; stat -c '%a %s %h' h h2`,
  `(exit 4) & (exit 5) & wait; echo $?; true & wait $!; echo $?; (exit 6) & wait $!; echo $?`,
  `false; echo $?; ! true; echo $?; sh -c 'exit 200'; echo $?; sh -c 'kill -9 $$'; echo $?; sh -c 'kill -TERM $$'; echo $?; nosuchcmd; echo $?; ./nosuch; echo $?`,
  `ulimit -n; ulimit -c 0; ulimit -c; ulimit -S -n 64; ulimit -n; ulimit -v 100000; ulimit -v; ulimit -f`,
  `mkdir -p x/y; cd x/y; pwd; cd ..; echo \${PWD##*/}; cd -; cd nosuch; echo $?; cd /; pwd`,
  `exec 2>&1; echo to-err >&2; exec echo replaced; echo never`,
  `set -e; trap 'echo trapped $?' EXIT; echo start; false; echo no`,
  `trap 'echo usr1' USR1; sh -c "kill -USR1 $$"; echo next; kill -l 15; kill -0 $$; echo $?; kill -0 99999; echo $?`,
  `for f in 1 2 3; do case $f in 1) echo one;; 2|3) echo many;; esac; done; x=abcdef; echo \${x#a*c} \${x%e*} \${#x}; timeout 1 sleep 3; echo $?`,
  `yes | head -n 3; seq 1000 | md5sum; dd if=/dev/zero bs=512 count=3 2>/dev/null | wc -c; echo abc | od -c | head -1`,
  `find . -type f | sort; xargs -n 2 echo <<EOF\na b c d e\nEOF\necho "a b" | awk '{print $2 $1}'; echo x | sed 's/x/y/'`,
  `exec 7</dev/null; cat /proc/$$/comm; ls /proc/self/fd >a; ls /proc/$$/fd >b; grep -x "[0-9]" a b; [ "$(cut -d" " -f1 /proc/$$/stat)" = $$ ]; echo $?; grep -E "^(Name|State|Threads|SigBlk|SigIgn|SigCgt)" /proc/$$/status; cut -d" " -f2,3 /proc/self/stat; tr "\\0" " " </proc/$$/cmdline; echo; ls /proc/$$/task | wc -l; [ "$(readlink /proc/$$/exe)" = "$(readlink /proc/self/exe)" ]; echo $?`,
  `for d in /proc/[0-9]*; do [ $d = /proc/$$ ] && echo me; done; sleep 1 & for d in /proc/[0-9]*; do [ $d = /proc/$! ] && echo kid; done; ls -d /proc/$! >/dev/null; echo $?; kill $!; wait $!; for d in /proc/[0-9]*; do [ $d = /proc/$! ] && echo kid; done; cat /proc/$!/stat 2>/dev/null; echo $?`,
  `cat /proc/self/status | head -n 1; cat /proc/self/comm; printf '#!${BB} sh\\ncat /proc/$$/comm\\n' >s.sh; chmod +x s.sh; ./s.sh; ln -s ${BB} cat; ./cat /proc/self/comm`,
];

/**
 * busybox sh lines whose Linux run is in a pid namespace of its own (unshare -pf --mount-proc):
 * /proc lists the line's own tree, as dbtlab's guests see theirs. Pids print relative to the shell's
 * (only those of fixed order: how often a wait loop forks differs from run to run).
 */
const BUSYBOX_PIDNS_LINES: string[] = [
  `d=$PWD; mkfifo p; cat p & until grep -q "^State:.S" /proc/$!/status; do :; done; ps -o pid,stat,comm >o; while read pid stat comm; do case $pid in PID) echo "$comm";; $!) echo $((pid - $$)) $stat $comm;; *) echo $comm;; esac; done <o; ls /proc >l; grep -c "^[0-9]" l; cd /proc/$!; head -n 1 status; cat comm; cd task/$!; pwd | grep -c task; echo >$d/p; wait $!; echo $?`,
];

interface Line {
  title: string;
  argv: string[];
  /** Linux runs it in a pid namespace of its own. */
  pidns?: boolean;
}
const ALL: Line[] = [
  ...BASH_LINES.map((l) => ({ title: `bash -c '${l.replaceAll(BB, 'busybox')}'`, argv: [BASH, '-c', l] })),
  ...BUSYBOX_SH_LINES.map((l) => ({ title: `busybox sh -c '${l}'`, argv: [BB, 'sh', '-c', l] })),
  ...BUSYBOX_PIDNS_LINES.map((l) => ({ title: `busybox sh -c '${l}' (Linux in a pid namespace)`, argv: [BB, 'sh', '-c', l], pidns: true })),
];
// CI=true samples every seventh line (the whole CI run has a time budget)
const LINES = process.env.CI === 'true' ? ALL.filter((_, i) => i % 7 === 0) : ALL;

/** Line i's directory, emptied, with the same small file in it. */
function freshDir(i: number): string {
  const dir = join(tmp, `line${i}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(join(dir, 'in.txt'), 'b\na\n');
  return dir;
}

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** Linux's stdout, stderr and status of every line, from one job (one VM boot where it runs in the kernel VM). */
function linuxRuns(): { stdout: string; stderr: string; status: number }[] {
  const script = LINES.map((l, i) => {
    const dir = freshDir(i);
    return `(cd ${quote(dir)} && ${l.pidns ? 'unshare -pf --mount-proc ' : ''}env -i ${l.argv.map(quote).join(' ')} </dev/null >${quote(`${dir}.out`)} 2>${quote(`${dir}.err`)}; echo $? >${quote(`${dir}.rc`)})`;
  });
  writeFileSync(join(tmp, 'all.sh'), `${script.join('\n')}\n`);
  const job = runOnLinuxI386(tmp, ['bash', join(tmp, 'all.sh')]);
  if (job.status !== 0) throw new Error(`Linux i386 job: ${job.status} ${job.stderr}`);
  return LINES.map((_, i) => {
    const dir = join(tmp, `line${i}`);
    return { stdout: readFileSync(`${dir}.out`, 'utf8'), stderr: readFileSync(`${dir}.err`, 'utf8'), status: Number(readFileSync(`${dir}.rc`, 'utf8')) };
  });
}

const available = linuxI386() !== 'none';
const linux = available ? linuxRuns() : [];
LINES.forEach((line, i) => {
  const define = available ? test : test.skip;
  define(`${line.title}${available ? '' : ` ${NO_LINUX_I386}`}`, (t) => {
    for (const runtime of RUNTIME_NAMES) {
      const r = runCaptured(createScheme(runtime), { elf: line.argv[0], argv: line.argv, envp: [], cwd: freshDir(i) });
      t.is(r.error, undefined, runtime);
      t.is(r.stdout.toString(), linux[i].stdout, runtime);
      t.is(r.stderr.toString(), linux[i].stderr, runtime);
      t.is(r.status, linux[i].status, runtime);
    }
  });
});
