import { fileURLToPath } from 'node:url';

/** The read-only ../shared folder beside the checkout (real logs, format samples, PM4Py references). */
export const SHARED_DIR = fileURLToPath(new URL('../../shared', import.meta.url));
