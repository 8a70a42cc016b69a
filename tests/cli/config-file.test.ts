import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { loadConfig } from '../../src/cli/config-file.js';
import { runCli } from './run-cli.js';

describe('loadConfig (issue 11 item 17)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vsm-config-'));
  it('a folder passed to --config gets its own message', () => {
    const folder = join(dir, 'configs');
    mkdirSync(folder);
    let caught: unknown;
    try {
      loadConfig(folder);
    } catch (error) {
      caught = error;
    }
    expect(isVsmError(caught) && caught.message).toBe(`config path is a folder, not a file · ${folder} · got a folder · pass --config with the path of a vsm.config.json file (e.g. ${folder}/vsm.config.json)`);
  });
  it('a config file written with a byte-order mark is read by the CLI', () => {
    const file = join(dir, 'bom.json');
    writeFileSync(file, '\ufeff{"exclude": ["/^Start$/"]}');
    const result = runCli(['analyze', 'fixtures/cli/tickets.csv', '--config', file, '--no-html', '--out', join(dir, 'out')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
