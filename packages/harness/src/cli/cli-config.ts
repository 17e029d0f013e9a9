/**
 * Every command and option of the dbtlab CLI, as data: the parser (parse-args.ts), the
 * help text (help.ts) and the checks of which options apply to which runtime read it.
 */
// the module itself, not the package's index: the option table is loaded by every command, before any runtime
import { CPU_MODEL_NAMES, DEFAULT_CPU_MODEL, DEFAULT_CPU_MODEL_64 } from '@dbtlab/x86-semantics/dist/cpu-models';
import { RUNTIME_NAMES, type RuntimeName } from '../runtime-names';

export const COMMAND_NAMES = ['run', 'compare', 'trace', 'disasm', 'experiment', 'report', 'bench'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface CommandSpec {
  /** What follows the options, e.g. '<elf> [args...]'. */
  operands: string;
  description: string;
  /** Paragraphs `dbtlab <command> --help` adds after the description. */
  details?: readonly string[];
  /** Options end at the first operand: what follows is the guest's argv (run, compare, trace). */
  guestArgv?: boolean;
}

export interface OptionSpec {
  /** Long name: --name. */
  name: string;
  /** One-letter alias: -x (QEMU's -d, -D, -L, -E, -U). */
  short?: string;
  /** QEMU's single-dash spelling of a long name (-strace, -cpu). */
  qemu?: string;
  type: 'boolean' | 'string';
  /** Name of the value in the help (FILE, N, ...). */
  value?: string;
  /** Allowed values (checked by the parser). */
  choices?: readonly string[];
  /** Value checked by the parser: a positive integer. */
  integer?: boolean;
  /** May be given several times (collected in order). */
  multiple?: boolean;
  default?: string;
  description: string;
  commands: readonly CommandName[];
  /** The only runtime this option means something for (elsewhere a usage error). */
  runtime?: RuntimeName;
}

export const COMMANDS: Record<CommandName, CommandSpec> = {
  run: {
    guestArgv: true,
    operands: '<elf> [args...]',
    description: 'Run an x86 Linux program (i386 or x86-64) through one runtime; stdio and exit status pass through.',
    details: [
      "The exit status is the first guest's (128 + the signal that killed it). The run ends when every guest has ended: " +
        'guests the first one leaves running (orphans: sh -c "sleep 3 &") run to their end first, where natively the caller\'s wait returns at once.',
      "Signals sent to dbtlab go to the first guest; to every guest of dbtlab's process group as well when they kill the first guest, " +
        'repeat before it took them (GNU timeout, a shell\'s kill of the group) or are SIGINT, SIGQUIT or SIGCONT; once it has exited, to every guest left.',
    ],
  },
  compare: {
    guestArgv: true,
    operands: '<elf> [args...] | <manifest.json|.yaml>',
    description: 'Run natively and through both runtimes; check output and status; print the metrics side by side.',
  },
  trace: {
    guestArgv: true,
    operands: '<elf> [args...]',
    description: 'Print the event sequence of a first execution (TB start, context switch, system call, ...).',
  },
  disasm: {
    operands: '<elf>',
    description: 'Disassemble the executable sections as `objdump -d --no-show-raw-insn` prints them.',
  },
  experiment: {
    operands: '[e1 ... e7]',
    description: 'Run the workloads through the runtime configurations the chosen experiments need; write CSV, charts and a report.',
  },
  report: {
    operands: '<dir|shard.json>...',
    description: 'Merge the partial results of `experiment --shard` runs into the report a single run writes.',
  },
  bench: {
    operands: '[workload... | elf]',
    description: 'Wall-clock of native, qemu-i386 and both runtimes side by side (benchmark.js: mean, margin of error, median).',
  },
};

const GUEST: readonly CommandName[] = ['run', 'compare', 'trace'];
const SUITE: readonly CommandName[] = ['experiment', 'bench'];

export const LOG_ITEMS = ['in_asm', 'exec', 'nochain', 'strace', 'unimp'] as const;

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'runtime', type: 'string', value: 'R', choices: RUNTIME_NAMES, default: 'qemu-style', description: 'the runtime to run the program through', commands: ['run', 'trace'] },
  { name: 'no-chain', type: 'boolean', description: 'qemu-style without TB chaining (QEMU -d nochain)', commands: GUEST, runtime: 'qemu-style' },
  { name: 'syscall-ends-tb', type: 'boolean', description: 'x86tomips-style with the system call ending the TB', commands: GUEST, runtime: 'x86tomips-style' },
  { name: 'chain', type: 'boolean', description: "x86tomips-style with QEMU's TB chaining", commands: GUEST, runtime: 'x86tomips-style' },
  { name: 'stats-json', type: 'string', value: 'FILE', description: 'write the run statistics, runtime, configuration, dbtlab version and binary hash (JSON) to FILE', commands: ['run'] },
  { name: 'strace', qemu: 'strace', type: 'boolean', description: 'log system calls (to stderr, or to the -D file)', commands: ['run'] },
  {
    name: 'log-items',
    short: 'd',
    type: 'string',
    value: 'ITEM[,...]',
    description: `QEMU-format log of ${LOG_ITEMS.join(', ')} (in_asm: each TB translated; exec: each TB entered from the loop or an indirect lookup; nochain: no TB chaining; unimp: each unimplemented system call, ENOSYS for the guest)`,
    commands: ['run'],
  },
  { name: 'log', short: 'D', type: 'string', value: 'FILE', description: 'write the -d and -strace log to FILE instead of stderr', commands: ['run'] },
  { name: 'set-env', short: 'E', type: 'string', value: 'VAR=VALUE', multiple: true, description: "set a variable in the guest's environment", commands: GUEST },
  { name: 'unset-env', short: 'U', type: 'string', value: 'VAR', multiple: true, description: "remove a variable from the guest's environment", commands: GUEST },
  {
    name: 'sysroot',
    short: 'L',
    type: 'string',
    value: 'DIR',
    default: '$DBTLAB_LD_PREFIX',
    description: 'absolute paths the guest opens, stats, execs or readlinks are looked up under DIR first (qemu-user -L)',
    commands: [...GUEST, 'experiment'],
  },
  {
    name: 'cpu',
    qemu: 'cpu',
    type: 'string',
    value: 'MODEL',
    choices: CPU_MODEL_NAMES,
    default: `$DBTLAB_CPU, else ${DEFAULT_CPU_MODEL} (x86-64 programs: ${DEFAULT_CPU_MODEL_64})`,
    description: 'CPU model, as qemu-i386 -cpu: cpuid, AT_HWCAP, which extensions translate',
    commands: GUEST,
  },
  {
    name: 'deterministic-clock',
    type: 'boolean',
    description: 'time system calls read a virtual clock (1 ns per host instruction): counts independent of when the run happens (compare, trace and experiments always do)',
    commands: ['run'],
  },
  { name: 'stdin', type: 'string', value: 'FILE', description: "file fed to the program's stdin", commands: ['compare'] },
  { name: 'json', type: 'boolean', description: 'print the metrics as JSON', commands: ['compare'] },
  { name: 'csv', type: 'boolean', description: 'print the metrics as CSV (one line per workload and runtime)', commands: ['compare'] },
  { name: 'svg', type: 'string', value: 'FILE', description: 'also draw the events as a timeline chart (SVG)', commands: ['trace'] },
  { name: 'limit', type: 'string', value: 'N', integer: true, default: '200', description: 'stop the trace listing after N events', commands: ['trace'] },
  { name: 'workloads', type: 'string', value: 'FILE', description: 'workload manifest (JSON or YAML) or one program (default: the built-in workloads)', commands: [...SUITE, 'compare'] },
  { name: 'workload', type: 'string', value: 'NAME', multiple: true, description: 'only this workload of the manifest', commands: [...SUITE, 'compare'] },
  { name: 'shard', type: 'string', value: 'I/N', description: 'run only the I-th of N shares of the runs and write a partial result, shard-I-of-N.json (merge with `dbtlab report`)', commands: ['experiment'] },
  { name: 'cache', type: 'string', value: 'DIR', default: '<out>/.cache', description: 'results cached by binary hash, workload, configuration and dbtlab build', commands: ['experiment'] },
  { name: 'no-cache', type: 'boolean', description: 'run everything, neither reading nor writing the cache', commands: ['experiment'] },
  { name: 'out', type: 'string', value: 'DIR', default: 'reports', description: 'output directory', commands: [...SUITE, 'report'] },
];

export function optionsOf(command: CommandName): OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}
