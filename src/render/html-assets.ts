import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sep } from 'node:path';
import { VsmError } from '../errors.js';

/** The browser builds inlined into report.html so it opens offline: package → file under its folder. */
const RUNTIME_FILES = [
  ['vega', 'build/vega.min.js'],
  ['vega-lite', 'build/vega-lite.min.js'],
  ['vega-embed', 'build/vega-embed.min.js'],
] as const;

let cachedRuntime: string[] | null = null;

/*
 * The packages' `exports` maps hide their build folders, so the folder is found from the resolved main entry.
 * Each build is checked for `</script` and `<!--`, which would end or confuse the inline element.
 */
function packageFolder(packageName: string): string {
  const entry = fileURLToPath(import.meta.resolve(packageName));
  const marker = `${sep}node_modules${sep}${packageName}${sep}`;
  const at = entry.lastIndexOf(marker);
  if (at < 0) {
    throw new VsmError({ code: 'INTERNAL', what: 'chart runtime not found', where: packageName, got: entry, fix: 'run npm install' });
  }
  return entry.slice(0, at + marker.length);
}

/** The three runtime scripts' source text, read once per process. */
export function chartRuntimeScripts(): string[] {
  if (cachedRuntime !== null) return cachedRuntime;
  cachedRuntime = RUNTIME_FILES.map(([packageName, file]) => {
    const source = readFileSync(packageFolder(packageName) + file, 'utf8');
    if (/<\/script|<!--/i.test(source)) {
      throw new VsmError({ code: 'INTERNAL', what: 'chart runtime cannot be inlined', where: `${packageName}/${file}`, got: 'contains </script or <!--', fix: 'pin a different version' });
    }
    return source;
  });
  return cachedRuntime;
}
