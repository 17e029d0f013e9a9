/**
 * The objdump differential oracle: disassembles every executable section of every member of
 * an ar archive (or of ELF files) with GNU objdump and with our decoder from the same start
 * addresses, and counts length and text agreement, with one example per class of disagreement.
 * Symbols (`<sym+off>`) are stripped from objdump's text: our formatter prints bare addresses.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { decodeInsn, DecodeError, formatAtt, Mode } from '../../src/index';

export interface ObjectFile {
  name: string;
  data: Uint8Array;
}

/** Members of a System V / GNU ar archive, in archive order. */
export function readArchive(path: string): ObjectFile[] {
  const buf = readFileSync(path);
  if (buf.toString('latin1', 0, 8) !== '!<arch>\n') throw new Error(`${path}: not an ar archive`);
  const out: ObjectFile[] = [];
  let longNames = '';
  let p = 8;
  while (p + 60 <= buf.length) {
    const rawName = buf.toString('latin1', p, p + 16).trimEnd();
    const size = parseInt(buf.toString('latin1', p + 48, p + 58).trim(), 10);
    const data = buf.subarray(p + 60, p + 60 + size);
    if (rawName === '//') longNames = data.toString('latin1');
    else if (rawName !== '/' && rawName !== '/SYM64/') {
      const name = rawName.startsWith('/') ? longNames.slice(Number(rawName.slice(1))).split('/\n')[0] : rawName.replace(/\/$/, '');
      out.push({ name, data });
    }
    p += 60 + size + (size & 1);
  }
  return out;
}

export interface Section {
  name: string;
  data: Uint8Array;
  addr: number;
}

/** Sections objdump -d disassembles (SHF_EXECINSTR with contents), in section-header order. */
export function execSections(elf: Uint8Array): Section[] {
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const is64 = elf[4] === 2;
  const u = (off: number, wide: boolean): number => (wide ? Number(dv.getBigUint64(off, true)) : dv.getUint32(off, true));
  const shoff = u(is64 ? 0x28 : 0x20, is64);
  const shentsize = dv.getUint16(is64 ? 0x3a : 0x2e, true);
  const shnum = dv.getUint16(is64 ? 0x3c : 0x30, true);
  const shstrndx = dv.getUint16(is64 ? 0x3e : 0x32, true);
  const sh = (i: number): { name: number; type: number; flags: number; addr: number; offset: number; size: number } => {
    const b = shoff + i * shentsize;
    return is64
      ? { name: dv.getUint32(b, true), type: dv.getUint32(b + 4, true), flags: u(b + 8, true), addr: u(b + 16, true), offset: u(b + 24, true), size: u(b + 32, true) }
      : { name: dv.getUint32(b, true), type: dv.getUint32(b + 4, true), flags: dv.getUint32(b + 8, true), addr: dv.getUint32(b + 12, true), offset: dv.getUint32(b + 16, true), size: dv.getUint32(b + 20, true) };
  };
  const strtab = sh(shstrndx);
  const name = (off: number): string => {
    let e = strtab.offset + off;
    while (elf[e] !== 0) e++;
    return Buffer.from(elf.subarray(strtab.offset + off, e)).toString('latin1');
  };
  const out: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const s = sh(i);
    const SHT_NOBITS = 8, SHF_EXECINSTR = 4;
    if (s.type !== SHT_NOBITS && s.flags & SHF_EXECINSTR && s.size > 0) {
      out.push({ name: name(s.name), data: elf.subarray(s.offset, s.offset + s.size), addr: s.addr });
    }
  }
  return out;
}

export interface Disagreement {
  count: number;
  example: string;
}

export interface OracleResult {
  insns: number;
  lengthAgree: number;
  textAgree: number;
  /** disagreement classes: "length <mnemonic>" / "text <mnemonic>" -> count and an example */
  classes: Map<string, Disagreement>;
  /** instructions inside VEX/EVEX encodings, and their text agreements */
  vexInsns: number;
  vexTextAgree: number;
}

const LINE = /^ *([0-9a-f]+):\t([0-9a-f ]+?) *\t(.*)$/;
const SYMBOL = / ?<[^>]*>/g;

function hexBytes(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/** True when the instruction bytes (after legacy/REX prefixes) start with a VEX/EVEX/XOP escape. */
function isVex(b: Uint8Array, mode: Mode): boolean {
  let i = 0;
  while (i < b.length && ([0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65].includes(b[i]) || (mode === 64 && (b[i] & 0xf0) === 0x40))) i++;
  const o = b[i];
  return (o === 0xc4 || o === 0xc5 || o === 0x62 || o === 0x8f) && (mode === 64 || (b[i + 1] & 0xc0) === 0xc0) && b.length > i + 2;
}

/**
 * Compares our decoder with objdump over the given files (objects or archives): each
 * line objdump prints is decoded from the same section offset.
 */
export function compareWithObjdump(files: { path: string; objects: ObjectFile[] }[], mode: Mode): OracleResult {
  const r: OracleResult = { insns: 0, lengthAgree: 0, textAgree: 0, classes: new Map(), vexInsns: 0, vexTextAgree: 0 };
  const note = (key: string, example: string): void => {
    const c = r.classes.get(key);
    if (c) c.count++;
    else r.classes.set(key, { count: 1, example });
  };
  for (const { path, objects } of files) {
    const text = execFileSync('objdump', ['-d', '-w', path], { maxBuffer: 1 << 30, encoding: 'latin1' });
    let obj = -1;
    let sections: Section[] = [];
    let used = new Set<number>();
    let sec: Section | undefined;
    for (const line of text.split('\n')) {
      const m = LINE.exec(line);
      if (m) {
        if (!sec) throw new Error(`objdump line outside a section: ${line}`);
        const off = parseInt(m[1], 16) - sec.addr;
        const want = m[3].replace(SYMBOL, '').trimEnd();
        const wantLen = m[2].split(' ').length;
        const bytes = sec.data.subarray(off, off + wantLen);
        if (want.startsWith('.byte') || want === '...') continue;
        r.insns++;
        const vex = isVex(bytes, mode);
        if (vex) r.vexInsns++;
        let got: string;
        let gotLen: number;
        try {
          const insn = decodeInsn(sec.data, off, sec.addr + off, mode);
          got = formatAtt(insn);
          gotLen = insn.length;
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
          got = '(bad)';
          gotLen = e.bytes.length;
        }
        const mn = want.split(' ')[0];
        if (gotLen === wantLen) r.lengthAgree++;
        else note(`length ${mn}`, `${hexBytes(bytes)}: objdump "${want}" (${wantLen}) ours "${got}" (${gotLen})`);
        if (got === want) {
          r.textAgree++;
          if (vex) r.vexTextAgree++;
        } else note(`text ${vex ? 'vex ' : ''}${mn}`, `${hexBytes(bytes)}: objdump "${want}" ours "${got}"`);
        continue;
      }
      if (line.endsWith(`file format ${mode === 64 ? 'elf64-x86-64' : 'elf32-i386'}`)) {
        obj++;
        const o = objects[obj];
        if (!o || !line.startsWith(o.name + ':')) throw new Error(`objdump member order: ${line} vs ${o?.name}`);
        sections = execSections(o.data);
        used = new Set();
        sec = undefined;
      } else if (line.startsWith('Disassembly of section ')) {
        const name = line.slice('Disassembly of section '.length, -1);
        const i = sections.findIndex((s, k) => s.name === name && !used.has(k));
        if (i < 0) throw new Error(`section ${name} not found in ${objects[obj]?.name}`);
        used.add(i);
        sec = sections[i];
      }
    }
  }
  return r;
}

/** The report lines: totals, then each disagreement class with its count and an example. */
export function describe(label: string, r: OracleResult): string {
  const pct = (n: number, d: number): string => (d ? ((100 * n) / d).toFixed(4) : '100') + '%';
  const lines = [
    `${label}: ${r.insns} instructions; lengths agree ${r.lengthAgree} (${pct(r.lengthAgree, r.insns)}); ` +
      `text agrees ${r.textAgree} (${pct(r.textAgree, r.insns)}); outside VEX/EVEX ${r.textAgree - r.vexTextAgree}/${r.insns - r.vexInsns} ` +
      `(${pct(r.textAgree - r.vexTextAgree, r.insns - r.vexInsns)})`,
  ];
  const sorted = [...r.classes.entries()].sort((a, b) => b[1].count - a[1].count);
  for (const [k, v] of sorted) lines.push(`  ${String(v.count).padStart(7)}  ${k}  e.g. ${v.example}`);
  return lines.join('\n');
}
