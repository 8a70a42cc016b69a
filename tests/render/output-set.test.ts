import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { UNREADABLE_LOCK_GRACE_MS, writeOutputSet } from '../../src/render/output-set.js';

const OWNED = ['report.json', 'report.html', 'charts'];

/** A folder holding a previous report set: report.json "old", report.html "old", charts/a.svg "old". */
function previousSet(): { parent: string; out: string } {
  const parent = mkdtempSync(join(tmpdir(), 'vsm-output-set-'));
  const out = join(parent, 'report');
  mkdirSync(join(out, 'charts'), { recursive: true });
  for (const path of ['report.json', 'report.html', 'charts/a.svg']) writeFileSync(join(out, path), 'old');
  return { parent, out };
}

const read = (out: string, path: string) => readFileSync(join(out, path), 'utf8');
const newSet = (dir: string) => {
  writeFileSync(join(dir, 'report.json'), 'new');
  writeFileSync(join(dir, 'report.html'), 'new');
  return ['report.json', 'report.html'];
};

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('writeOutputSet: all or nothing (issue 11 item 12)', () => {
  it('a run that fails after writing report.json leaves the previous set intact and no leftovers', async () => {
    const { parent, out } = previousSet();
    const failure = await errorOf(
      writeOutputSet(out, { ownedNames: OWNED }, (dir) => {
        writeFileSync(join(dir, 'report.json'), 'new');
        throw new Error('renderer crashed');
      }),
    );
    expect((failure as Error).message).toBe('renderer crashed');
    expect([read(out, 'report.json'), read(out, 'report.html'), read(out, 'charts/a.svg')]).toEqual(['old', 'old', 'old']);
    expect(readdirSync(parent)).toEqual(['report']);
  });
  it('replaces the previous set as a whole: a chart no longer drawn disappears', async () => {
    const { parent, out } = previousSet();
    expect(await writeOutputSet(out, { ownedNames: OWNED }, newSet)).toEqual([join(out, 'report.json'), join(out, 'report.html')]);
    expect(readdirSync(out).sort()).toEqual(['report.html', 'report.json']);
    expect(read(out, 'report.json')).toBe('new');
    expect(readdirSync(parent)).toEqual(['report']);
  });
  it("in a folder shared with other files, replaces only this command's files and keeps the others", async () => {
    const { out } = previousSet();
    writeFileSync(join(out, 'notes.txt'), 'mine');
    writeFileSync(join(out, 'compare.json'), 'compare');
    await writeOutputSet(out, { ownedNames: OWNED }, newSet);
    expect(readdirSync(out).sort()).toEqual(['compare.json', 'notes.txt', 'report.html', 'report.json']);
    expect(read(out, 'notes.txt')).toBe('mine');
  });
  it('refuses a second writer while the lock is held by a running process', async () => {
    const { parent, out } = previousSet();
    // The vitest parent process is alive and is not this process.
    writeFileSync(join(parent, '.report.vsm-lock'), `${process.ppid}\n`);
    const refused = await errorOf(writeOutputSet(out, { ownedNames: OWNED }, newSet));
    expect(isVsmError(refused) && refused.code).toBe('OUTPUT_LOCKED');
    expect((refused as Error).message).toBe(
      `another vsm run is writing to this output folder · --out ${out} · got lock ${join(parent, '.report.vsm-lock')} held by running process ${process.ppid} · wait for it to finish, or pass another --out`,
    );
    expect(read(out, 'report.json')).toBe('old');
  });
  it("takes over the lock of a dead process and removes that run's half-written temporary folder", async () => {
    const { parent, out } = previousSet();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(parent, '.report.vsm-lock'), `${dead.stdout}\n`);
    mkdirSync(join(parent, `.report.vsm-tmp-${dead.stdout}-0`));
    writeFileSync(join(parent, `.report.vsm-tmp-${dead.stdout}-0`, 'report.json'), 'half');
    await writeOutputSet(out, { ownedNames: OWNED }, newSet);
    expect(read(out, 'report.json')).toBe('new');
    expect(readdirSync(parent)).toEqual(['report']);
  });
  it('refuses while a fresh lock names no pid yet (another run between creating and writing it), takes an old one over', async () => {
    const { parent, out } = previousSet();
    const lockPath = join(parent, '.report.vsm-lock');
    writeFileSync(lockPath, '');
    const refused = await errorOf(writeOutputSet(out, { ownedNames: OWNED }, newSet));
    expect(isVsmError(refused) && refused.code).toBe('OUTPUT_LOCKED');
    expect((refused as Error).message).toContain(`got lock ${lockPath} being written (no pid in it yet)`);
    expect(read(out, 'report.json')).toBe('old');
    const old = (Date.now() - 2 * UNREADABLE_LOCK_GRACE_MS) / 1000;
    utimesSync(lockPath, old, old);
    await writeOutputSet(out, { ownedNames: OWNED }, newSet);
    expect(read(out, 'report.json')).toBe('new');
    expect(readdirSync(parent)).toEqual(['report']);
  });
  it("never removes the temporary folder of a live process (a run that took a lock over by mistake), and leaves no lock's pid file", async () => {
    const { parent, out } = previousSet();
    // The vitest parent process is alive and is not this process.
    const live = `.report.vsm-tmp-${process.ppid}-0`;
    mkdirSync(join(parent, live));
    writeFileSync(join(parent, live, 'report.json'), 'theirs');
    await writeOutputSet(out, { ownedNames: OWNED }, newSet);
    expect(read(out, 'report.json')).toBe('new');
    expect(readdirSync(parent).sort()).toEqual([live, 'report']);
    expect(readFileSync(join(parent, live, 'report.json'), 'utf8')).toBe('theirs');
  });
  it('creates a missing folder (and its parents) in one rename', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'vsm-output-set-'));
    const out = join(parent, 'a', 'b');
    await writeOutputSet(out, { ownedNames: OWNED }, newSet);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    expect(readdirSync(join(parent, 'a'))).toEqual(['b']);
  });
});
