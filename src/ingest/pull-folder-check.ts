import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PULL_MANIFEST_FILE } from '../model/pull-files.js';

/**
 * Is the path a folder written by `vsm pull` (it holds `pull.json`)? Apart from pull-folder.ts, which reads one, so
 * that readLog's check for every path loads neither the manifest's zod schema nor the pull reader (issue 14, start-up).
 * @example isPullFolder('reports') // false
 */
export function isPullFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory() && existsSync(join(path, PULL_MANIFEST_FILE));
  } catch {
    return false;
  }
}
