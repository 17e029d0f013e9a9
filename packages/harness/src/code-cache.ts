/**
 * A V8 code cache for the modules `dbtlab run`'s worker loads (about 210 of them): compiling their
 * sources was most of the time to the first guest instruction. Node 20 has no
 * module.enableCompileCache (22.1 has), so the CommonJS compile step is replaced, for the files in
 * scope only, by a vm.Script given the cached data of an earlier run.
 *
 * One cache file per module path: the SHA-256 of the source it was made from, then V8's data. A
 * source that changed (a rebuild) no longer matches its key and is compiled from the text; V8
 * itself also rejects data from another V8 version or flag set. Either way the data is made again
 * after the run (`save`), so that it holds the functions the run compiled lazily too, and replaces
 * the file by a rename: concurrent runs each write whole files. Any file-system error only means
 * no cache: a run never depends on it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, sep } from 'node:path';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';

/** Node's CommonJS wrapper, on a line of its own so that line and column numbers stay the file's. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_TAIL = '\n})';
const KEY_BYTES = 32;

interface CjsModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string, format?: string): unknown;
}
type Compile = CjsModule['_compile'];
type ModuleWrapper = (this: unknown, exports: unknown, require: NodeJS.Require, module: CjsModule, filename: string, dirname: string) => unknown;

interface Fresh {
  file: string;
  key: Buffer;
  script: Script;
}

/** The cache file's data if it was made from this very source. */
function storedData(file: string, key: Buffer): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  return bytes.length > KEY_BYTES && bytes.subarray(0, KEY_BYTES).equals(key) ? bytes.subarray(KEY_BYTES) : undefined;
}

/**
 * mkdir -p, a level at a time: Node 20's recursive mkdirSync never returns where mkdir fails with
 * ENOENT under an existing parent (XDG_CACHE_HOME=/proc/x spun forever).
 */
function makeDirectory(dir: string): boolean {
  for (let end = dir.indexOf(sep, 1); ; end = dir.indexOf(sep, end + 1)) {
    try {
      mkdirSync(end < 0 ? dir : dir.slice(0, end));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
    if (end < 0) return true;
  }
}

/** `require` as Node gives a module, for what tsc's output uses of it. */
function requireFor(mod: CjsModule): NodeJS.Require {
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  const statics = require as NodeJS.Require;
  req.resolve = ((request: string, options?: { paths?: string[] }) =>
    (Module as unknown as { _resolveFilename(r: string, m: CjsModule, isMain: boolean, o?: object): string })._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  req.main = statics.main;
  req.cache = statics.cache;
  req.extensions = statics.extensions;
  return req;
}

export interface CodeCache {
  /**
   * Writes the data of every module in scope that had none (or a stale one), marks the
   * directory as used now (its mtime, see pruneCodeCaches), and uninstalls.
   */
  save(): void;
}

/**
 * Compiles the CommonJS modules for which `inScope(path)` holds through the cache in `dir` from now
 * on (the other modules as before), until `save`.
 */
export function installCodeCache(dir: string, inScope: (filename: string) => boolean): CodeCache {
  const proto = Module.prototype as unknown as CjsModule;
  const original: Compile = proto._compile;
  const fresh: Fresh[] = [];
  proto._compile = function (this: CjsModule, content: string, filename: string, format?: string) {
    if (format === 'module' || !inScope(filename)) return original.call(this, content, filename, format);
    const key = createHash('sha256').update(content).digest();
    const file = join(dir, createHash('sha256').update(filename).digest('hex'));
    const cachedData = storedData(file, key);
    const script = new Script(WRAPPER_HEAD + content + WRAPPER_TAIL, { filename, lineOffset: -1, cachedData });
    if (!cachedData || script.cachedDataRejected) fresh.push({ file, key, script });
    const wrapper = script.runInThisContext() as ModuleWrapper;
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, dirname(filename));
  };
  return {
    save() {
      proto._compile = original;
      if (!makeDirectory(dir)) return;
      try {
        const now = new Date();
        utimesSync(dir, now, now);
      } catch {
        // only pruning would come sooner
      }
      for (const { file, key, script } of fresh) {
        const temp = `${file}.${process.pid}.${threadId}`;
        try {
          writeFileSync(temp, Buffer.concat([key, script.createCachedData()]));
          renameSync(temp, file);
        } catch {
          rmSync(temp, { force: true });
        }
      }
    },
  };
}

/**
 * Bounds the caches under `root`, whose layout is root/VERSION/BUILD/files (run-worker.ts: a
 * folder per V8 version and host, then one per build directory): keeps the `keep` build folders
 * used last (by their mtime, which save sets) and removes the others, version folders left empty,
 * and whatever else lies at those two levels (an older layout's files). Without it every build
 * directory that ever ran (a worktree, a test's temporary copy) left ~1.8 MB behind. Errors
 * (a folder another run removes meanwhile) only leave more behind.
 */
export function pruneCodeCaches(root: string, keep: number): void {
  const names = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  const remove = (path: string): void => {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // gone already, or not ours to remove
    }
  };
  const builds: { path: string; used: number }[] = [];
  for (const version of names(root)) {
    const versionDir = join(root, version);
    for (const build of names(versionDir)) {
      const path = join(versionDir, build);
      try {
        const st = statSync(path);
        if (st.isDirectory()) builds.push({ path, used: st.mtimeMs });
        else remove(path);
      } catch {
        // removed meanwhile
      }
    }
  }
  builds.sort((a, b) => b.used - a.used);
  for (const { path } of builds.slice(keep)) remove(path);
  for (const version of names(root)) {
    const versionDir = join(root, version);
    if (names(versionDir).length === 0) remove(versionDir);
  }
}
