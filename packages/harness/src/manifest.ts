/**
 * Workload manifests: the programs an experiment, bench or compare runs, as data a user
 * writes (JSON or YAML), checked against a JSON Schema (ajv) with errors that name the file
 * and the path of the bad field. Paths in a manifest are relative to the manifest's folder.
 * The built-in workloads are one such manifest (workloads/workloads.json).
 *
 *   workloads:
 *     - name: wc
 *       program: ./build/wc          # the i386 ELF
 *       args: [-l, input.txt]
 *       stdin: "text"                # or { file: input.txt }
 *       env: { LANG: C }
 *       files: [{ path: input.txt, content: "a\nb\n" }]   # written to its folder before each run
 *       tmpdir: true                 # TMPDIR: a directory of each run's own (workloads.ts runEnv)
 *       sysroot: /srv/i386-root      # -L
 *       cpu: pentium4                # --cpu (default: pentium2 for i386, core2duo64 for x86-64)
 *       judge: native                # or reference: ref/wc (ref/wc.stdout, .stderr, .status)
 */
import Ajv, { type ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CPU_MODEL_NAMES } from '@dbtlab/x86-semantics';

export type WorkloadKind = 'thin' | 'glibc' | 'smc' | 'user';
export type WorkloadCategory = 'compute' | 'syscall' | 'smc';
export type RuntimeName = 'qemu-style' | 'x86tomips-style';

/** How one runtime's output relates to the native reference. */
export interface RuntimeExpectation {
  /** false: this runtime's stdout is expected to differ from the native reference. */
  matchesNative: boolean;
  /** Why, in the talk's terms. */
  why: string;
}

export interface FileSetup {
  path: string;
  content: string;
}

/** One workload as the harness uses it: every path absolute. */
export interface Workload {
  name: string;
  /** Absolute path of the i386 ELF. */
  program: string;
  kind: WorkloadKind;
  category: WorkloadCategory;
  /** argv[1..] */
  args: readonly string[];
  /** Contents fed to stdin; absent means empty stdin. */
  stdin?: string;
  /** The guest's environment (experiments otherwise run with an empty one). */
  env?: Readonly<Record<string, string>>;
  /** Files written (relative to the program's folder) before each run. */
  files?: readonly FileSetup[];
  /** Each run gets TMPDIR, a directory of its own (see workloads.ts runEnv). */
  tmpdir?: boolean;
  /** -L directory. */
  sysroot?: string;
  /** CPU model (--cpu); absent: the default of the program's ELF class. */
  cpu?: string;
  /** Recorded native output, <reference>.{stdout,stderr,status}; absent: native run on demand. */
  reference?: string;
  description: string;
  /** Per-runtime expectation where it differs from "output equals native". */
  expect?: Partial<Record<RuntimeName, RuntimeExpectation>>;
}

/** A manifest the schema rejects, or that cannot be read: one line naming file and field. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

const expectation = {
  type: 'object',
  additionalProperties: false,
  required: ['matchesNative', 'why'],
  properties: { matchesNative: { type: 'boolean' }, why: { type: 'string' } },
};

export const MANIFEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['workloads'],
  properties: {
    workloads: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'program'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
          program: { type: 'string', minLength: 1 },
          args: { type: 'array', items: { type: 'string' } },
          stdin: {
            oneOf: [
              { type: 'string' },
              { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string' } } },
            ],
          },
          env: { type: 'object', additionalProperties: { type: 'string' } },
          files: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['path', 'content'],
              properties: { path: { type: 'string', pattern: '^[^/]' }, content: { type: 'string' } },
            },
          },
          tmpdir: { type: 'boolean' },
          sysroot: { type: 'string' },
          cpu: { enum: CPU_MODEL_NAMES },
          judge: { enum: ['native'] },
          reference: { type: 'string' },
          kind: { enum: ['thin', 'glibc', 'smc', 'user'] },
          category: { enum: ['compute', 'syscall', 'smc'] },
          description: { type: 'string' },
          expect: {
            type: 'object',
            additionalProperties: false,
            properties: { 'qemu-style': expectation, 'x86tomips-style': expectation },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: false, strict: true }).compile(MANIFEST_SCHEMA);

function describe(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${where}: unknown field '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === 'enum') return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  return `${where}: ${e.message ?? e.keyword}`;
}

interface RawWorkload {
  name: string;
  program: string;
  args?: string[];
  stdin?: string | { file: string };
  env?: Record<string, string>;
  files?: FileSetup[];
  tmpdir?: boolean;
  sysroot?: string;
  cpu?: string;
  judge?: 'native';
  reference?: string;
  kind?: WorkloadKind;
  category?: WorkloadCategory;
  description?: string;
  expect?: Workload['expect'];
}

/** Reads and checks a manifest; paths resolved against its folder. */
export function loadManifest(file: string): Workload[] {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ManifestError(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!validate(data)) throw new ManifestError(`${file}: ${describe(validate.errors![0])}`);
  const base = dirname(resolve(file));
  const raw = (data as { workloads: RawWorkload[] }).workloads;
  const seen = new Set<string>();
  return raw.map((w, i) => {
    if (seen.has(w.name)) throw new ManifestError(`${file}: /workloads/${i}/name: '${w.name}' is already the name of another workload`);
    seen.add(w.name);
    if (w.judge !== undefined && w.reference !== undefined) throw new ManifestError(`${file}: /workloads/${i}: 'judge' and 'reference' exclude each other`);
    let stdin: string | undefined;
    if (typeof w.stdin === 'string') stdin = w.stdin;
    else if (w.stdin) {
      try {
        stdin = readFileSync(resolve(base, w.stdin.file), 'latin1');
      } catch (e) {
        throw new ManifestError(`${file}: /workloads/${i}/stdin/file: ${(e as Error).message}`);
      }
    }
    return {
      name: w.name,
      program: resolve(base, w.program),
      kind: w.kind ?? 'user',
      category: w.category ?? 'compute',
      args: w.args ?? [],
      stdin,
      env: w.env,
      files: w.files,
      tmpdir: w.tmpdir,
      sysroot: w.sysroot === undefined ? undefined : resolve(base, w.sysroot),
      cpu: w.cpu,
      reference: w.reference === undefined ? undefined : resolve(base, w.reference),
      description: w.description ?? '',
      expect: w.expect,
    };
  });
}

/** A plain program path as a one-workload manifest: its native run is the reference. */
export function programWorkload(path: string, args: readonly string[] = []): Workload {
  const program = resolve(path);
  return { name: program.replace(/.*\//, ''), program, kind: 'user', category: 'compute', args, description: path };
}

/** A file that names a manifest rather than a program. */
export const isManifestPath = (path: string): boolean => /\.(json|ya?ml)$/i.test(path);
