import { accessSync, closeSync, constants as fsConstants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { VsmError } from '../errors.js';

/**
 * All-or-nothing report folders (issue 11 item 12).
 *
 * A command's whole output set is written into a temporary sibling folder (`.<name>.vsm-tmp-<pid>-<n>`) and only
 * then moved into place, so an interrupted or failed run leaves the previous set untouched. A lock file beside the
 * folder (`.<name>.vsm-lock`, holding the writer's pid) refuses a second run writing to the same folder at the same
 * time; a lock whose pid is no longer alive (a killed run) is taken over, and that run's leftovers are removed.
 *
 * Putting the set in place:
 * - the folder does not exist: one rename;
 * - it holds only files this command writes (its previous set): the old folder is renamed aside, the new one
 *   renamed in, the old one deleted — two renames, so the folder is missing for an instant but never mixed;
 * - it also holds other files (another command's outputs, the user's own files): nothing else is touched; each new
 *   file is renamed over its old version and this command's stale files (e.g. a chart no longer drawn) are removed.
 *   Each file is atomic; the set changes within the few milliseconds of the renames, after every file is complete.
 */
export interface OutputSetOptions {
  /** Top-level names this command writes (files, or folders such as `charts`): its previous set, to be replaced. */
  ownedNames: readonly string[];
}

/** Writes files into the temporary folder (any layout below it) and returns their paths relative to it. */
export type OutputWriter = (tempDir: string) => Promise<string[]> | string[];

const lockPathOf = (outDir: string) => join(dirname(outDir), `.${basename(outDir)}.vsm-lock`);

/** Maps a file-system failure on the output path to a usage error (exit 2) in the `what · where · got · fix` shape. */
export function outputPathError(error: unknown, outDir: string): VsmError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';
  const where = `--out ${outDir}`;
  const got = `${code}${(error as NodeJS.ErrnoException | undefined)?.path ? ` on ${(error as NodeJS.ErrnoException).path}` : ''}`;
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return new VsmError({ code: 'BAD_OUTPUT', what: 'output path is not a folder (it or a parent is a file)', where, got, fix: 'pass --out with a new or existing folder path' });
    case 'EACCES':
    case 'EPERM':
      return new VsmError({ code: 'BAD_OUTPUT', what: 'no permission to write the output folder', where, got, fix: 'pass --out with a folder you can write, or change its permissions' });
    case 'EROFS':
      return new VsmError({ code: 'BAD_OUTPUT', what: 'output folder is on a read-only file system', where, got, fix: 'pass --out with a folder on a writable disk' });
    case 'ENOSPC':
    case 'EDQUOT':
      return new VsmError({ code: 'BAD_OUTPUT', what: 'no space left for the output', where, got, fix: 'free disk space or pass --out on another disk (the previous report is kept)' });
    default:
      return new VsmError({ code: 'BAD_OUTPUT', what: 'cannot write the output folder', where, got, fix: 'pass --out with a writable folder path' });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock or throws a clear error naming the holder; a lock left by a dead pid is taken over. */
function acquireLock(outDir: string): () => void {
  const lockPath = lockPathOf(outDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw outputPathError(error, outDir);
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (isAlive(holder) && holder !== process.pid) {
        throw new VsmError({
          code: 'OUTPUT_LOCKED',
          what: 'another vsm run is writing to this output folder',
          where: `--out ${outDir}`,
          got: `lock ${lockPath} held by running process ${holder}`,
          fix: 'wait for it to finish, or pass another --out',
        });
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new VsmError({ code: 'OUTPUT_LOCKED', what: 'could not take the output folder lock', where: `--out ${outDir}`, got: lockPath, fix: 'retry, or pass another --out' });
}

/** Leftovers of runs that were killed before finishing (their temporary and set-aside folders). */
function removeLeftovers(outDir: string): void {
  const prefix = `.${basename(outDir)}.vsm-`;
  for (const entry of readdirSync(dirname(outDir))) {
    if (entry.startsWith(prefix) && !entry.endsWith('vsm-lock')) rmSync(join(dirname(outDir), entry), { recursive: true, force: true });
  }
}

/**
 * Fails fast, before a long analysis, when `--out` cannot be written: the path or a parent is a file, or the
 * nearest existing folder is not writable. writeOutputSet checks again when it writes (the disk may change).
 */
export function assertWritableOutput(outDirText: string): void {
  let path = resolve(outDirText);
  for (;;) {
    let stats;
    try {
      stats = statSync(path, { throwIfNoEntry: false });
    } catch (error) {
      throw outputPathError(error, outDirText);
    }
    if (stats) {
      if (!stats.isDirectory()) throw outputPathError(Object.assign(new Error('not a folder'), { code: 'ENOTDIR', path }), outDirText);
      try {
        accessSync(path, fsConstants.W_OK);
      } catch (error) {
        throw outputPathError(error, outDirText);
      }
      return;
    }
    const parent = dirname(path);
    if (parent === path) return;
    path = parent;
  }
}

let sequence = 0;

/**
 * Writes one command's output set into `outDir` all-or-nothing (see the module comment). Returns the written
 * paths (joined to `outDir`). File-system problems on the output path are VsmErrors (exit 2), never a stack.
 */
export async function writeOutputSet(outDirText: string, options: OutputSetOptions, write: OutputWriter): Promise<string[]> {
  const outDir = resolve(outDirText);
  assertWritableOutput(outDirText);
  try {
    mkdirSync(dirname(outDir), { recursive: true });
  } catch (error) {
    throw outputPathError(error, outDirText);
  }
  const release = acquireLock(outDir);
  const tempDir = join(dirname(outDir), `.${basename(outDir)}.vsm-tmp-${process.pid}-${sequence++}`);
  try {
    removeLeftovers(outDir);
    try {
      mkdirSync(tempDir);
    } catch (error) {
      throw outputPathError(error, outDirText);
    }
    let relativePaths: string[];
    try {
      relativePaths = await write(tempDir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      throw code && /^E[A-Z]+$/.test(code) ? outputPathError(error, outDirText) : error;
    }
    try {
      putInPlace(tempDir, outDir, options.ownedNames);
    } catch (error) {
      throw outputPathError(error, outDirText);
    }
    return relativePaths.map((path) => join(outDirText, ...path.split('/')));
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
    release();
  }
}

function putInPlace(tempDir: string, outDir: string, ownedNames: readonly string[]): void {
  if (!existsSync(outDir)) {
    renameSync(tempDir, outDir);
    return;
  }
  const owned = new Set(ownedNames);
  const entries = readdirSync(outDir);
  if (entries.every((entry) => owned.has(entry))) {
    const aside = `${tempDir}-old`;
    renameSync(outDir, aside);
    try {
      renameSync(tempDir, outDir);
    } catch (error) {
      renameSync(aside, outDir);
      throw error;
    }
    rmSync(aside, { recursive: true, force: true });
    return;
  }
  // Shared folder: replace this command's entries one by one, leave every other file alone.
  const fresh = new Set(readdirSync(tempDir));
  for (const name of fresh) {
    const target = join(outDir, name);
    if (statSync(join(tempDir, name)).isDirectory()) rmSync(target, { recursive: true, force: true });
    renameSync(join(tempDir, name), target);
  }
  for (const name of entries) if (owned.has(name) && !fresh.has(name)) rmSync(join(outDir, name), { recursive: true, force: true });
}
