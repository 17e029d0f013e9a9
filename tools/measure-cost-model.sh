#!/usr/bin/env bash
# measure-cost-model.sh: measures the constants of packages/dbt-core/src/cost-model.ts on this
# machine from real qemu-i386, as x86-64 host instructions (valgrind callgrind, user space).
#
# Every constant is a difference between runs of small i386 programs of tools/cost-model/
# (slope over two sizes, so QEMU's start-up and exit cancel), divided by how many more of the
# priced event the bigger run has (QEMU's own -d exec "Trace" lines, or callgrind call counts).
# Instructions executed in the code cache (callgrind object "???") are left out: dbtlab counts
# its own translated code, prologue, epilogue and call sequences as host instructions.
#   tbLookup            indirect.S `jmp *%edx`: Ir inside helper_lookup_tb_ptr per call (hit)
#   execLoopIteration   loop.S chained vs -d nochain, per extra cpu_exec iteration, minus the
#                       code-cache part and tbLookup (tb_find's lookup is the same tb_lookup)
#   helperCall          helper.S `lahf`: Ir inside helper_cc_compute_all (CC_OP_SUBL) per call
#   syscall             syscall.S NR=20 (getpid): do_syscall Ir per call (user side) + the
#                       kernel round trip in cycles (kernel-time.c, timed: valgrind sees no kernel)
#   unwind              syscall.S NR=500 (ENOSYS: no host call) minus the same loop without
#                       int $0x80, minus code cache, re-entry (execLoopIteration + tbLookup),
#                       do_syscall(ENOSYS) and helperCall (raise_interrupt's call, counted apart)
#   translatePerInsn, translatePerTb  translate.S, K blocks of 4R+1 insns each run once: Ir
#                       per new TB beyond code cache and cpu_exec entry (tb_gen_code, lookup
#                       miss, tb_add_jump) at R=1 and R=3, slope per insn, remainder per TB
# Usage: bash tools/measure-cost-model.sh   (needs gcc -m32, qemu-i386, valgrind; ~2 minutes)
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)/cost-model
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for t in gcc qemu-i386 valgrind callgrind_annotate; do
  command -v $t >/dev/null || { echo "$t not found" >&2; exit 2; }
done
N1=100000 N2=200000   # loop iterations
S1=10000 S2=20000     # system calls
K1=200 K2=400         # translated blocks

build() { local out=$1 file=$2; shift 2; gcc -m32 -static -nostdlib -o "$tmp/$out" "$src/$file" "$@"; }
# ir NAME ELF [QEMU_OPTS...] -> total user-space instructions of qemu-i386 running ELF
ir() {
  local name=$1 elf=$2; shift 2
  valgrind --tool=callgrind --smc-check=all --callgrind-out-file="$tmp/$name.cg" \
    qemu-i386 "$@" "$tmp/$elf" >/dev/null 2>"$tmp/$name.log"
  sed -n 's/^totals: *//p' "$tmp/$name.cg"
}
# annotate caller|calling NAME -> callgrind_annotate's call tree, lines "IR MARK FUNCTION [(Nx)] [OBJ]"
annotate() {
  callgrind_annotate --threshold=100 --tree="$1" --inclusive=yes "$tmp/$2.cg" |
    sed -E 's/,//g; s/\( *[0-9.]+%\)//'
}
# incl NAME FUNCTION -> "inclusive_Ir calls" of a qemu-i386 function in run NAME
incl() {
  annotate caller "$1" |
    awk -v f="???:$2" '/^$/ { calls = 0; next }
      $2 == "<" { c = $(NF - 1); gsub(/[(x)]/, "", c); calls += c }
      $2 == "*" && $3 == f { print $1, calls; exit }'
}
# jitcalls NAME -> "inclusive_Ir calls" summed over calls from the code cache into qemu-i386
jitcalls() {
  annotate calling "$1" |
    awk '/^$/ { jit = 0; next }
      $2 == "*" { jit = ($NF == "[???]") }
      jit && $2 == ">" && $NF ~ /qemu-i386/ { c = $(NF - 1); gsub(/[(x)]/, "", c); ir += $1; calls += c }
      END { print ir + 0, calls + 0 }'
}
# jitself NAME -> instructions executed in the code cache (callgrind's object "???")
jitself() {
  callgrind_annotate --threshold=100 "$tmp/$1.cg" | sed -E 's/,//g; s/\( *[0-9.]+%\)//' |
    awk '$NF == "[???]" && $1 ~ /^[0-9]+$/ { ir += $1 } END { print ir + 0 }'
}
# traces ELF [QEMU_OPTS...] -> "Trace" lines of -d exec (cpu_tb_exec entries + lookup_tb_ptr hits)
traces() { local elf=$1; shift; qemu-i386 -D /dev/stderr "$@" "$tmp/$elf" 2>&1 >/dev/null | grep -c Trace; }
# calc EXPR -> value of an awk expression, rounded to one decimal
calc() { awk "BEGIN { printf \"%.1f\", $1 }"; }

# sanity: -d nochain must only change chaining, not log anything
for n in $N1 $N2; do
  build loop$n loop.S -DN=$n
  build ind$n indirect.S -DN=$n -DINDIRECT
  build dir$n indirect.S -DN=$n
  build helper$n helper.S -DN=$n -DHELPER
done
nolog=$(qemu-i386 -d nochain -D /dev/stderr "$tmp/loop$N1" 2>&1 | wc -c)
[ "$nolog" = 0 ] || { echo "-d nochain logged $nolog bytes" >&2; exit 1; }

echo "== exec loop: loop.S (sub/jnz self loop), chained vs -d nochain"
c1=$(ir c1 loop$N1) c2=$(ir c2 loop$N2)
n1=$(ir n1 loop$N1 -d nochain -D /dev/null) n2=$(ir n2 loop$N2 -d nochain -D /dev/null)
ec1=$(traces loop$N1 -d exec) ec2=$(traces loop$N2 -d exec)
en1=$(traces loop$N1 -d exec,nochain) en2=$(traces loop$N2 -d exec,nochain)
extra=$(( (en2 - ec2) - (en1 - ec1) ))
entry=$(calc "(($n2 - $c2) - ($n1 - $c1)) / $extra")
entryJit=$(calc "(($(jitself n2) - $(jitself c2)) - ($(jitself n1) - $(jitself c1))) / $extra")
echo "  Ir chained N1,N2: $c1 $c2; nochain: $n1 $n2"
echo "  Trace lines chained: $ec1 $ec2; nochain: $en1 $en2; extra cpu_exec iterations: $extra"
echo "  per extra iteration: $entry, of which $entryJit in the code cache (prologue, exit_tb, epilogue)"

echo "== TB lookup: indirect.S, jmp *%edx vs jmp 1b"
i1=$(ir i1 ind$N1) i2=$(ir i2 ind$N2) d1=$(ir d1 dir$N1) d2=$(ir d2 dir$N2)
ti1=$(traces ind$N1 -d exec) ti2=$(traces ind$N2 -d exec)
td1=$(traces dir$N1 -d exec) td2=$(traces dir$N2 -d exec)
hits=$(( (ti2 - ti1) - (td2 - td1) ))
read -r lb1 lc1 <<<"$(jitcalls i1)"; read -r lb2 lc2 <<<"$(jitcalls i2)"
tbLookup=$(calc "($lb2 - $lb1) / ($lc2 - $lc1)")
lookupWhole=$(calc "(($i2 - $i1) - ($d2 - $d1)) / $hits")
execLoop=$(calc "$entry - $entryJit - $tbLookup")
echo "  Ir indirect N1,N2: $i1 $i2; direct: $d1 $d2; extra lookup_tb_ptr hits (Trace): $hits"
echo "  calls code cache -> qemu: $lc1 $lc2 (Ir inside: $lb1 $lb2)"
echo "  tbLookup (helper_lookup_tb_ptr body per call): $tbLookup; whole, incl. call sequence: $lookupWhole"
echo "  execLoopIteration (= $entry - $entryJit - tbLookup): $execLoop"

echo "== helper call: helper.S, sub/lahf/jnz vs loop.S sub/jnz"
h1=$(ir h1 helper$N1) h2=$(ir h2 helper$N2)
read -r hb1 hc1 <<<"$(jitcalls h1)"; read -r hb2 hc2 <<<"$(jitcalls h2)"
helperCall=$(calc "($hb2 - $hb1) / ($hc2 - $hc1)")
whole=$(calc "(($h2 - $h1) - ($c2 - $c1)) / ($N2 - $N1)")
echo "  Ir N1,N2: $h1 $h2; calls code cache -> qemu: $hc1 $hc2 (Ir inside: $hb1 $hb2)"
echo "  helperCall (helper_cc_compute_all body per call): $helperCall; whole lahf incl. call sequence and AH deposit: $whole"

echo "== system calls: syscall.S without int \$0x80, NR=500 (ENOSYS), NR=20 (getpid)"
for v in base:"" enosys:-DNR=500 getpid:-DNR=20; do
  build ${v%%:*}$S1 syscall.S -DN=$S1 ${v#*:}; build ${v%%:*}$S2 syscall.S -DN=$S2 ${v#*:}
done
b1=$(ir b1 base$S1) b2=$(ir b2 base$S2)
e1=$(ir e1 enosys$S1) e2=$(ir e2 enosys$S2) g1=$(ir g1 getpid$S1) g2=$(ir g2 getpid$S2)
te1=$(traces enosys$S1 -d exec) te2=$(traces enosys$S2 -d exec)
tb1=$(traces base$S1 -d exec) tb2=$(traces base$S2 -d exec)
read -r de1 dc1 <<<"$(incl e1 do_syscall)"; read -r de2 dc2 <<<"$(incl e2 do_syscall)"
read -r dg1 gc1 <<<"$(incl g1 do_syscall)"; read -r dg2 gc2 <<<"$(incl g2 do_syscall)"
slopeB=$(calc "($b2 - $b1) / ($S2 - $S1)") slopeE=$(calc "($e2 - $e1) / ($S2 - $S1)")
slopeG=$(calc "($g2 - $g1) / ($S2 - $S1)")
entries=$(calc "(($te2 - $te1) - ($tb2 - $tb1)) / ($S2 - $S1)")
doE=$(calc "($de2 - $de1) / ($dc2 - $dc1)") doG=$(calc "($dg2 - $dg1) / ($gc2 - $gc1)")
jitE=$(calc "(($(jitself e2) - $(jitself e1)) - ($(jitself b2) - $(jitself b1))) / ($S2 - $S1)")
unwind=$(calc "$slopeE - $slopeB - $jitE - $entries * ($execLoop + $tbLookup) - $doE - $helperCall")
gcc -O2 -o "$tmp/kt" "$src/kernel-time.c"
# timing is noisy on a loaded machine: the median of 5 runs, each the median of 31 repetitions
kruns=$(for r in 1 2 3 4 5; do "$tmp/kt"; done | sort -k3 -n)
read -r nsSys nsAdd kernel <<<"$(sed -n 3p <<<"$kruns")"
syscall=$(calc "$doG + $kernel")
echo "  Ir per iteration: base $slopeB, ENOSYS $slopeE, getpid $slopeG (Ir base: $b1 $b2; ENOSYS: $e1 $e2; getpid: $g1 $g2)"
echo "  extra cpu_exec entries per system call (Trace): $entries"
echo "  do_syscall Ir per call: ENOSYS $doE, getpid $doG (user side: dispatch + libc wrapper)"
echo "  kernel getpid round trip: $nsSys ns / $nsAdd ns per dependent add = $kernel cycles (median run; cycles of 5 runs: $(awk '{ printf "%s ", $3 }' <<<"$kruns"))"
echo "  code cache Ir per system call (state save, helper call, re-entry prologue/epilogue): $jitE"
echo "  unwind (= ENOSYS - base - code cache - execLoopIteration - tbLookup - do_syscall(ENOSYS) - helperCall): $unwind"
echo "  syscall (= do_syscall(getpid) + kernel): $syscall"

echo "== translation: translate.S, K blocks of 4R+1 instructions, each translated and run once"
# Each new block costs one cpu_exec entry (its predecessor's goto_tb is not patched yet), a
# lookup miss (tb_jmp_cache and qht), tb_gen_code, tb_add_jump and its own run in the code cache.
# Charged per TB beyond the entry (execLoopIteration + tbLookup) and the code cache, it is the
# translation; its slope in R is per guest instruction, the rest per TB.
for r in 1 3; do
  for k in $K1 $K2; do build tr$r-$k translate.S -DK=$k -DR=$r; ir tr$r-$k tr$r-$k >/dev/null; done
  read -r a1 n1 <<<"$(incl tr$r-$K1 tb_gen_code)"; read -r a2 n2 <<<"$(incl tr$r-$K2 tb_gen_code)"
  w1=$(sed -n 's/^totals: *//p' "$tmp/tr$r-$K1.cg") w2=$(sed -n 's/^totals: *//p' "$tmp/tr$r-$K2.cg")
  j1=$(jitself tr$r-$K1) j2=$(jitself tr$r-$K2)
  x1=$(traces tr$r-$K1 -d exec) x2=$(traces tr$r-$K2 -d exec)
  # per K2-K1 more blocks: y more instructions outside code cache and entries, ins more guest
  # instructions translated, tbs more TBs (a block crossing a page is split into two TBs)
  y[$r]=$(calc "($w2 - $w1) - ($j2 - $j1) - ($x2 - $x1) * ($execLoop + $tbLookup)")
  ins[$r]=$(( (4 * r + 1) * (K2 - K1) )) tbs[$r]=$((n2 - n1))
  echo "  R=$r ($((4 * r + 1)) insns/block): Ir $w1 $w2, code cache $j1 $j2, Trace $x1 $x2, TBs $n1 $n2:" \
    "${y[$r]} more for ${ins[$r]} insns in ${tbs[$r]} TBs; tb_gen_code alone $(calc "($a2 - $a1) / ($n2 - $n1)") per TB"
done
# y = translatePerInsn * ins + translatePerTb * tbs at R=1 and R=3: two equations, two unknowns
translatePerInsn=$(calc "(${y[3]} * ${tbs[1]} - ${y[1]} * ${tbs[3]}) / (${ins[3]} * ${tbs[1]} - ${ins[1]} * ${tbs[3]})")
translatePerTb=$(calc "(${y[1]} - $translatePerInsn * ${ins[1]}) / ${tbs[1]}")
echo "  translatePerInsn: $translatePerInsn; translatePerTb: $translatePerTb"

echo "== constants (x86-64 host instructions; kernel part in cycles)"
printf '%s=%s\n' execLoopIteration "$execLoop" tbLookup "$tbLookup" unwind "$unwind" syscall "$syscall" \
  translatePerInsn "$translatePerInsn" translatePerTb "$translatePerTb" helperCall "$helperCall"
