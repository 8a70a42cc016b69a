import { readFileSync, statSync } from 'node:fs';
import { VsmError } from '../errors.js';
import { parseConfig, type VsmConfig } from '../model/config-parse.js';
import { configuredClass } from '../traces/step-map.js';
import { type ClassifiedStatus, defaultStatusClass } from '../model/status-class.js';
import type { StatusClassifier } from '../ingest/inspect-summary.js';

/** Reads and validates vsm.config.json; every problem is a VsmError naming the file and the dotted path. */
export function loadConfig(path: string): VsmConfig {
  let text: string;
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new VsmError({ code: 'BAD_CONFIG', what: 'config path is a folder, not a file', where: path, got: 'a folder', fix: `pass --config with the path of a vsm.config.json file (e.g. ${path.replace(/[\\/]+$/, '')}/vsm.config.json)` });
  }
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'config file not found', where: path, fix: 'pass --config with the path of a vsm.config.json' });
  }
  return parseConfig(text, path);
}

/** Status → class: config override (exact name, then /patterns/ in file order) > source category > name default. */
export function statusClassifier(config: VsmConfig | undefined): StatusClassifier {
  return (status: string, sourceCategory: string | undefined): ClassifiedStatus => {
    const override = configuredClass(config, status);
    return override ? { status, statusClass: override, origin: 'config' } : defaultStatusClass(status, sourceCategory);
  };
}

export function loadStatusClassifier(path: string): StatusClassifier {
  return statusClassifier(loadConfig(path));
}
