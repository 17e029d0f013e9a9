import test from 'ava';
import { ENV_BASE, MipsMachine } from '@dbtlab/mips-host';
import { CpuState, CF, DF, SF, ZF } from '@dbtlab/x86-frontend';
import { CC, ccOpOf } from '../src/cc-op';
import { cpuEflags, setCpuEflags } from '../src/eflags';

test('EFLAGS from lazy flags: 1 - 2 sets CF and SF, clears ZF; DF and bit 1 included', (t) => {
  const cpu = new CpuState(new MipsMachine().mem, ENV_BASE);
  cpu.ccOp = ccOpOf(CC.SUB, 32);
  cpu.ccDst = (1 - 2) >>> 0;
  cpu.ccSrc = 2;
  cpu.df = -1;
  const f = cpuEflags(cpu);
  t.is(f & (CF | SF | ZF | DF | 2), CF | SF | DF | 2);
});

test('writing EFLAGS then reading it back gives the same value', (t) => {
  const cpu = new CpuState(new MipsMachine().mem, ENV_BASE);
  const v = 0x246 | 0x40000 | DF;
  setCpuEflags(cpu, v);
  t.is(cpuEflags(cpu), v);
});
