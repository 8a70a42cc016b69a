import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { readPullManifest } from '../ingest/pull-folder.js';
import { PULL_MANIFEST_FILE, PULL_PAGES_DIR, type PullManifest, PullManifestSchema } from '../model/pull-manifest.js';

const gzipAsync = promisify(gzip);
/** Suffix of a file being written; such a file is never read and is removed when a pull starts. */
const TEMP_SUFFIX = '.partial';

/**
 * The pull folder on disk: `pull.json`, meta files (Jira `status.json`, `field.json`) and `pages/`.
 * Every file is written to `<name>.partial`, flushed to disk, then renamed over its final name, so a pull killed at
 * any instant leaves either the old file or the new one, never half of one (rename is atomic on one file system).
 */
export class PageStore {
  readonly pagesDir: string;

  constructor(readonly root: string) {
    this.pagesDir = join(root, PULL_PAGES_DIR);
  }

  /** Creates the folders and removes `.partial` leftovers of a killed pull. */
  async prepare(): Promise<void> {
    await mkdir(this.pagesDir, { recursive: true });
    for (const dir of [this.root, this.pagesDir]) {
      for (const name of await readdir(dir)) if (name.endsWith(TEMP_SUFFIX)) await rm(join(dir, name), { force: true });
    }
  }

  private async writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
    const temp = `${path}${TEMP_SUFFIX}`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  }

  /** Writes one page as gzip JSON (`<name>.json.gz`) under `pages/`. */
  async writePage(name: string, value: unknown): Promise<void> {
    await this.writeAtomic(join(this.pagesDir, `${name}.json.gz`), await gzipAsync(Buffer.from(JSON.stringify(value), 'utf8')));
  }

  /** Names of the complete page files in `pages/`. */
  async pageNames(): Promise<string[]> {
    return (await readdir(this.pagesDir)).filter((name) => name.endsWith('.json.gz'));
  }

  async countPages(): Promise<number> {
    return (await this.pageNames()).length;
  }

  /** Writes a plain JSON file beside pull.json (the Jira status list). */
  async writeMeta(name: string, value: unknown): Promise<void> {
    await this.writeAtomic(join(this.root, name), Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8'));
  }

  async writeManifest(manifest: PullManifest): Promise<void> {
    await this.writeAtomic(join(this.root, PULL_MANIFEST_FILE), Buffer.from(`${JSON.stringify(PullManifestSchema.parse(manifest), null, 2)}\n`, 'utf8'));
  }

  /** The folder's pull.json, or undefined when there is none. */
  async readManifest(): Promise<PullManifest | undefined> {
    return readPullManifest(this.root);
  }
}
