import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The read-only ../shared folder beside the checkout (real logs, format samples, PM4Py references).
 * VSM_TEST_SHARED_DIR overrides it (point it at a missing folder to see what a bare clone runs).
 */
export const SHARED_DIR = process.env.VSM_TEST_SHARED_DIR ?? fileURLToPath(new URL('../../shared', import.meta.url));

/** Small copies of a few ../shared references, so the core cross-checks run in a bare clone (fixtures/README.md). */
export const FIXTURE_REFERENCES_DIR = fileURLToPath(new URL('../fixtures/references', import.meta.url));

let announced = false;

/**
 * The path of `pathInShared` under ../shared (relative to it, or absolute inside it), or undefined when it is not there. A bare clone has no ../shared:
 * the tests that need it skip, and this prints one line naming the folder (once per test file) so the skip is seen.
 */
export function sharedOrSkip(pathInShared: string): string | undefined {
  const path = isAbsolute(pathInShared) ? pathInShared : join(SHARED_DIR, pathInShared);
  if (existsSync(path)) return path;
  if (!announced) {
    announced = true;
    const what = existsSync(SHARED_DIR) ? `${path} is missing` : `${SHARED_DIR} is not beside this checkout`;
    console.warn(`[skip] tests that need ../shared are skipped: ${what}`);
  }
  return undefined;
}

/** True when ../shared/<pathInShared> (or that absolute path) exists; prints the one skip line otherwise. */
export function hasShared(pathInShared: string): boolean {
  return sharedOrSkip(pathInShared) !== undefined;
}

/** A reference copied into fixtures/references, else its original under ../shared/data; undefined when neither. */
export function referenceOrShared(name: string, sharedFolder = 'data'): string | undefined {
  const copied = join(FIXTURE_REFERENCES_DIR, name);
  if (existsSync(copied)) return copied;
  return sharedOrSkip(join(sharedFolder, name));
}
