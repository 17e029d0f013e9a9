/**
 * Differential: the initial stack for many argv/envp shapes (counts, lengths, UTF-8), against
 * native runs of the same static program under `setarch -R`. Shapes come from a fixed-seed
 * generator, so every run checks the same cases; each exercises the alignment of the string
 * area and of sp differently.
 */
import { R_ESP } from '@dbtlab/x86-frontend';
import { buildFixture, kernelAbiTest, newProcess, runOnLinuxI386, tmpDir } from '../helpers';

const dir = tmpDir();
buildFixture(dir, 'stack-dump');
const SHAPES = 40;

function* shapes(): Generator<{ argv: string[]; envp: string[] }> {
  let s = 12345;
  const rnd = (n: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const word = (): string => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-_ é€';
    return Array.from({ length: rnd(40) }, () => alphabet[rnd(alphabet.length)]).join('');
  };
  for (let i = 0; i < SHAPES; i++) {
    yield {
      argv: ['./stack-dump', ...Array.from({ length: rnd(7) }, word)],
      envp: Array.from({ length: rnd(9) }, (_, k) => `V${k}=${word()}`),
    };
  }
}

kernelAbiTest(`argv/envp/auxv addresses and values match native for ${SHAPES} shapes`, (t) => {
  for (const { argv, envp } of shapes()) {
    const native = runOnLinuxI386(dir, argv, envp).trim().split('\n');
    const h = newProcess({ argv, envp });
    h.proc.cwd = dir;
    h.proc.load(argv[0]);
    const m = h.mem;
    const sp = h.cpu.reg(R_ESP);
    const ours = [`argc ${m.read32(sp)}`];
    let p = sp + 4;
    argv.forEach((_, i) => ours.push(`argv ${i} 0x${m.read32(p + 4 * i).toString(16)} ${m.readCString(m.read32(p + 4 * i))}`));
    p += 4 * (argv.length + 1);
    envp.forEach((_, i) => ours.push(`envp ${i} 0x${m.read32(p + 4 * i).toString(16)} ${m.readCString(m.read32(p + 4 * i))}`));
    // AT_RANDOM, AT_EXECFN, AT_PLATFORM: addresses below the strings
    const theirsAux = native.filter((l) => /^auxv (25|31|15) /.test(l));
    const oursAux = h.proc.initialStack!.auxv.filter(([k]) => k === 25 || k === 31 || k === 15).map(([k, v]) => `auxv ${k} 0x${v.toString(16)}`);
    t.deepEqual(ours, native.filter((l) => !l.startsWith('auxv')), JSON.stringify({ argv, envp }));
    t.deepEqual(oursAux, theirsAux);
  }
});
