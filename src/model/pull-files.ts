/**
 * The file names of a `vsm pull` folder (docs/pull.md), zod-free: `vsm analyze` checks every path it reads for
 * the manifest, and pull-manifest.ts (the manifest's zod schema) then loads only for a pull folder.
 */
export const PULL_MANIFEST_FILE = 'pull.json';
/** Sub-folder of a pull folder holding the fetched pages; `vsm analyze` reads it like any folder of export pages. */
export const PULL_PAGES_DIR = 'pages';
