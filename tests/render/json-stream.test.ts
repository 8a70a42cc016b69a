import { describe, expect, it } from 'vitest';
import { prettyJsonChunks } from '../../src/render/json-stream.js';
import { jiraReport } from './render-fixtures.js';

const streamed = (value: unknown) => [...prettyJsonChunks(value)].join('');

describe('prettyJsonChunks (issue 11 item 4: report.json without one giant string)', () => {
  it('is byte-identical to JSON.stringify(value, null, 2) + newline on a real report', () => {
    const report = jiraReport();
    expect(streamed(report)).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });
  it('matches JSON.stringify on the edge cases: empty containers, undefined, nested arrays, odd keys', () => {
    const value = { a: [], b: {}, c: undefined, d: [undefined, 1, [2, [3, { e: null }]]], 'f"\n': 'x\u2028', g: { h: { i: { j: [1, { k: 2 }] } } }, __proto__x: 1 };
    expect(streamed(value)).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(streamed([])).toBe('[]\n');
    expect(streamed('text')).toBe('"text"\n');
  });
  it('yields many pieces for a large array instead of one string', () => {
    const steps = Array.from({ length: 1000 }, (_, k) => ({ name: `s${k}`, visits: k }));
    const chunks = [...prettyJsonChunks({ steps })];
    expect(chunks.length).toBeGreaterThan(1000);
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThan(100);
  });
});
