/** The runtimes' names, apart from the runtimes: the command line's option table reads them without loading a runtime. */
export const RUNTIME_NAMES = ['qemu-style', 'x86tomips-style'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];
