import { SYSROOT_ENV } from '@dbtlab/linux-user';
import { CPU_MODEL_NAMES, DEFAULT_CPU_MODEL } from '@dbtlab/mips-codegen';
/** Every command and option of the dbtlab CLI, as data (the parser and --help read it). */
export type CommandName = 'run' | 'compare' | 'disasm' | 'experiment' | 'trace' | 'bench';

export interface CommandSpec {
  usage: string;
  description: string;
}

export interface OptionSpec {
  name: string;
  type: 'boolean' | 'string';
  description: string;
  commands: readonly CommandName[];
}

export const COMMANDS: Record<CommandName, CommandSpec> = {
  run: {
    usage: 'dbtlab run [-L DIR] --runtime qemu-style|x86tomips-style [--stats-json FILE] [--strace[=FILE]] [-d unimp] [--log FILE] <elf> [args...]',
    description: 'Run an i386 Linux program through one runtime; stdio and exit status pass through.',
  },
  compare: {
    usage: 'dbtlab compare [-L DIR] [--no-chain] [--syscall-ends-tb] [--chain] [--stdin FILE] <elf> [args...]',
    description: 'Run natively and through both runtimes; check output and status; print the metrics side by side.',
  },
  trace: {
    usage: 'dbtlab trace [-L DIR] --runtime R [--limit N] [--svg FILE] <elf> [args...]',
    description: 'Print the event sequence of a first execution (TB start, context switch, system call, ...).',
  },
  disasm: {
    usage: 'dbtlab disasm <elf>',
    description: 'Disassemble the executable sections as `objdump -d --no-show-raw-insn` prints them.',
  },
  bench: {
    usage: 'dbtlab bench [--out DIR] [workload...]',
    description: 'Wall-clock of native, qemu-i386 and both runtimes side by side (benchmark.js medians).',
  },
  experiment: {
    usage: 'dbtlab experiment [-L DIR] [--out DIR] [name...]',
    description: 'Run the workload suite through every runtime configuration; write CSV, charts and a report.',
  },
};

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'runtime', type: 'string', description: 'qemu-style or x86tomips-style', commands: ['run', 'trace'] },
  { name: 'stats-json', type: 'string', description: 'write the run statistics (JSON) to FILE', commands: ['run'] },
  { name: 'strace', type: 'string', description: 'log system calls to stderr, or to FILE with --strace=FILE', commands: ['run'] },
  { name: 'd', type: 'string', description: "log items, as QEMU's -d: 'unimp' logs each unimplemented system call (ENOSYS for the guest)", commands: ['run'] },
  { name: 'log', type: 'string', description: "write the -d log to FILE instead of stderr (QEMU's -D)", commands: ['run'] },
  { name: 'no-chain', type: 'boolean', description: 'qemu-style without TB chaining (QEMU -d nochain)', commands: ['run', 'compare', 'trace'] },
  { name: 'syscall-ends-tb', type: 'boolean', description: 'x86tomips-style with the system call ending the TB', commands: ['run', 'compare', 'trace'] },
  { name: 'chain', type: 'boolean', description: "x86tomips-style with QEMU's TB chaining", commands: ['run', 'compare', 'trace'] },
  {
    name: 'deterministic-clock',
    type: 'boolean',
    description: 'time system calls read a virtual clock (1 ns per host instruction): counts independent of when the run happens (compare, trace and experiments always do)',
    commands: ['run'],
  },
  {
    name: 'L',
    type: 'string',
    description: 'sysroot: absolute paths the guest opens, stats, execs or readlinks are looked up under DIR first (qemu-user -L; default $DBTLAB_LD_PREFIX)',
    commands: ['run', 'compare', 'trace', 'experiment'],
  },
  {
    name: 'cpu',
    type: 'string',
    description: `CPU model, as qemu-i386 -cpu (${CPU_MODEL_NAMES.join(', ')}; default $DBTLAB_CPU, else ${DEFAULT_CPU_MODEL})`,
    commands: ['run', 'compare', 'trace'],
  },
  { name: 'stdin', type: 'string', description: "file fed to the program's stdin (compare)", commands: ['compare'] },
  { name: 'svg', type: 'string', description: 'also draw the events as a timeline chart (SVG)', commands: ['trace'] },
  { name: 'limit', type: 'string', description: 'stop the trace listing after N events (default 200)', commands: ['trace'] },
  { name: 'out', type: 'string', description: 'output directory (default reports/)', commands: ['experiment', 'bench'] },
];

export interface ParsedArgs {
  command: CommandName;
  options: Record<string, string | boolean>;
  /** The ELF and the guest's arguments: everything from the first non-option on, untouched. */
  positionals: string[];
}

export class UsageError extends Error {}

/** The sysroot of a run: -L DIR, else $DBTLAB_LD_PREFIX (QEMU_LD_PREFIX), else none. */
export function sysrootOption(args: ParsedArgs): string | undefined {
  const o = args.options.L;
  return typeof o === 'string' ? o : process.env[SYSROOT_ENV] || undefined;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (!command || !(command in COMMANDS)) throw new UsageError(command ? `unknown command '${command}'` : 'no command');
  const cmd = command as CommandName;
  const options: Record<string, string | boolean> = {};
  let i = 0;
  for (; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--') {
      i++;
      break;
    }
    // one-letter options take one dash, as QEMU's -d does
    const dashes = /^-[a-zA-Z]$/.test(a) ? 1 : a.startsWith('--') ? 2 : 0;
    if (dashes === 0) break;
    const eq = a.indexOf('=');
    const name = a.slice(dashes, eq < 0 ? undefined : eq);
    const spec = OPTIONS.find((o) => o.name === name && o.commands.includes(cmd));
    if (!spec || (name.length === 1) !== (dashes === 1)) throw new UsageError(`unknown option ${a} for '${cmd}'`);
    if (spec.type === 'boolean' || (spec.name === 'strace' && eq < 0)) options[name] = eq < 0 ? true : a.slice(eq + 1);
    else if (eq >= 0) options[name] = a.slice(eq + 1);
    else if (i + 1 < rest.length) options[name] = rest[++i];
    else throw new UsageError(`--${name} needs a value`);
  }
  return { command: cmd, options, positionals: rest.slice(i) };
}

export function helpText(): string {
  const lines = ['usage: dbtlab <command> [options] ...', ''];
  for (const [name, c] of Object.entries(COMMANDS)) {
    lines.push(`  ${c.usage}`, `      ${c.description}`);
    for (const o of OPTIONS.filter((x) => x.commands.includes(name as CommandName)))
      lines.push(`        ${o.name.length === 1 ? '-' : '--'}${o.name}${o.type === 'string' ? ' VALUE' : ''}  ${o.description}`);
  }
  return lines.join('\n');
}

/** The CPU model a command runs: --cpu, else $DBTLAB_CPU, else the default; an unknown name is a usage error. */
export function cpuOption(args: ParsedArgs): string {
  const name = String(args.options.cpu ?? process.env.DBTLAB_CPU ?? DEFAULT_CPU_MODEL);
  if (!CPU_MODEL_NAMES.includes(name)) throw new UsageError(`unknown CPU model '${name}' (known: ${CPU_MODEL_NAMES.join(', ')})`);
  return name;
}
