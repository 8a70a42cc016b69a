import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { envNumber, exposedGc, workerScriptBeside } from '../../src/model/runtime.js';

const NAME = 'VSM_RUNTIME_TEST_NUMBER';

describe('envNumber', () => {
  afterEach(() => {
    delete process.env[NAME];
  });
  it('reads a finite number, and nothing from an unset, blank or non-numeric variable', () => {
    expect(envNumber(NAME)).toBeUndefined();
    process.env[NAME] = '  ';
    expect(envNumber(NAME)).toBeUndefined();
    process.env[NAME] = 'two';
    expect(envNumber(NAME)).toBeUndefined();
    process.env[NAME] = 'Infinity';
    expect(envNumber(NAME)).toBeUndefined();
    process.env[NAME] = ' 2 ';
    expect(envNumber(NAME)).toBe(2);
    process.env[NAME] = '1e6';
    expect(envNumber(NAME)).toBe(1_000_000);
  });
});

describe('workerScriptBeside', () => {
  it("takes the script beside the module, else the build's dist/<folder>/<file>, else none", () => {
    const root = mkdtempSync(join(tmpdir(), 'vsm-runtime-'));
    mkdirSync(join(root, 'src', 'metrics'), { recursive: true });
    mkdirSync(join(root, 'dist', 'metrics'), { recursive: true });
    const moduleUrl = pathToFileURL(join(root, 'src', 'metrics', 'caller.js')).href;
    expect(workerScriptBeside(moduleUrl, 'w.js', 'metrics')).toBeUndefined();
    writeFileSync(join(root, 'dist', 'metrics', 'w.js'), '');
    expect(workerScriptBeside(moduleUrl, 'w.js', 'metrics')?.href).toBe(pathToFileURL(join(root, 'dist', 'metrics', 'w.js')).href);
    writeFileSync(join(root, 'src', 'metrics', 'w.js'), '');
    expect(workerScriptBeside(moduleUrl, 'w.js', 'metrics')?.href).toBe(pathToFileURL(join(root, 'src', 'metrics', 'w.js')).href);
  });
});

describe('exposedGc', () => {
  it('finds a collector once and runs both kinds of collection', () => {
    const gc = exposedGc();
    expect(gc).not.toBeNull();
    expect(exposedGc()).toBe(gc);
    expect(() => gc?.({ type: 'minor' })).not.toThrow();
    expect(() => gc?.()).not.toThrow();
  });
});
