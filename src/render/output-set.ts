import { accessSync, closeSync, constants as fsConstants, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { VsmError } from '../errors.js';

/**
 * All-or-nothing report folders (issue 11 item 12).
 *
 * A command's whole output set is written into a temporary sibling folder (`.<name>.vsm-tmp-<pid>-<n>`) and only
 * then moved into place, so an interrupted or failed run leaves the previous set untouched. A lock file beside the
 * folder (`.<name>.vsm-lock`, holding the writer's pid) refuses a second run writing to the same folder at the same
 * time; a lock whose pid is no longer alive (a killed run) is taken over, and that run's leftovers are removed.
 * The lock appears with its pid already in it (written beside it, then hard-linked into place), so a second run
 * starting at the same instant never reads an empty lock and takes it for a dead one; leftovers of a run whose pid is
 * alive are never removed.
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

/** A lock file that cannot name its holder (empty or garbled) is left alone this long: its writer may be alive. */
export const UNREADABLE_LOCK_GRACE_MS = 10_000;

/**
 * Creates the lock with the pid in it, atomically: the pid is written to a file of this process's own, which is then
 * hard-linked to the lock path (a link fails with EEXIST when the lock exists, like an exclusive open, but the lock
 * is never seen empty). Where hard links are not supported, an exclusive open and a write, as before.
 */
function createLock(lockPath: string): void {
  const own = `${lockPath}-${process.pid}`;
  try {
    writeFileSync(own, `${process.pid}\n`);
  } catch {
    createLockByOpen(lockPath);
    return;
  }
  try {
    linkSync(own, lockPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw error;
    createLockByOpen(lockPath);
  } finally {
    rmSync(own, { force: true });
  }
}

function createLockByOpen(lockPath: string): void {
  const fd = openSync(lockPath, 'wx');
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
}

/** The lock's holder pid, or null when the file cannot name one (being written by the open fallback, or garbled). */
function lockHolder(lockPath: string): { pid: number | null; ageMs: number } {
  let text = '';
  let ageMs = Infinity;
  try {
    text = readFileSync(lockPath, 'utf8');
    ageMs = Date.now() - statSync(lockPath).mtimeMs;
  } catch {
    // Gone between the failed create and this read: the caller tries again.
  }
  const pid = /^\d+\n?$/.test(text) ? Number.parseInt(text, 10) : null;
  return { pid, ageMs };
}

/** Takes the folder's lock or throws a clear error naming the holder; a lock left by a dead pid is taken over. */
function acquireLock(outDir: string): () => void {
  const lockPath = lockPathOf(outDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      createLock(lockPath);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw outputPathError(error, outDir);
      const holder = lockHolder(lockPath);
      const unreadableButYoung = holder.pid === null && holder.ageMs < UNREADABLE_LOCK_GRACE_MS;
      if (unreadableButYoung || (holder.pid !== null && holder.pid !== process.pid && isAlive(holder.pid))) {
        throw new VsmError({
          code: 'OUTPUT_LOCKED',
          what: 'another vsm run is writing to this output folder',
          where: `--out ${outDir}`,
          got: holder.pid === null ? `lock ${lockPath} being written (no pid in it yet)` : `lock ${lockPath} held by running process ${holder.pid}`,
          fix: 'wait for it to finish, or pass another --out',
        });
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new VsmError({ code: 'OUTPUT_LOCKED', what: 'could not take the output folder lock', where: `--out ${outDir}`, got: lockPath, fix: 'retry, or pass another --out' });
}

/** The pid in a leftover's name (`.<name>.vsm-tmp-<pid>-<n>[-old]`, `.<name>.vsm-lock-<pid>`), or null. */
function leftoverPid(entry: string, prefix: string): number | null {
  const match = /^(?:tmp-(\d+)-\d+(?:-old)?|lock-(\d+))$/.exec(entry.slice(prefix.length));
  if (match === null) return null;
  return Number.parseInt(match[1] ?? match[2], 10);
}

/**
 * Leftovers of runs that were killed before finishing (their temporary and set-aside folders, a lock's pid file):
 * never those of a process still alive, whatever the lock says.
 */
function removeLeftovers(outDir: string): void {
  const prefix = `.${basename(outDir)}.vsm-`;
  for (const entry of readdirSync(dirname(outDir))) {
    if (!entry.startsWith(prefix) || entry.endsWith('vsm-lock')) continue;
    const pid = leftoverPid(entry, prefix);
    if (pid !== null && pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(dirname(outDir), entry), { recursive: true, force: true });
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
