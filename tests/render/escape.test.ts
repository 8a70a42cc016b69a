import { describe, expect, it } from 'vitest';
import { csvCell, escapeHtml, escapeMarkdown, escapeXml, jsonForScript, neutralizeControls } from '../../src/render/escape.js';

describe('escapeHtml / escapeXml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });
  it('escapes an attribute breakout and a CDATA end', () => {
    expect(escapeXml('"><img src=x onerror=alert(1)>')).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeXml(']]>')).toBe(']]&gt;');
  });
  it('shows bidi overrides and control characters as U+FFFD', () => {
    expect(escapeHtml('\u202Eexe.txt')).toBe('\uFFFDexe.txt');
    expect(escapeXml('a\u0000b\u0007c\u2066d\u2069')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFD');
    expect(neutralizeControls('tab\tnew\nline')).toBe('tab\tnew\nline');
  });
  it('leaves ordinary text and non-Latin scripts alone', () => {
    expect(escapeHtml('Prüfung · 審査 · مراجعة')).toBe('Prüfung · 審査 · مراجعة');
  });
});

describe('escapeMarkdown', () => {
  it('backslash-escapes markup characters and turns angle brackets into entities', () => {
    expect(escapeMarkdown('a|b*c_d[e]f`g')).toBe('a\\|b\\*c\\_d\\[e\\]f\\`g');
    expect(escapeMarkdown('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeMarkdown('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
  });
  it('keeps a table cell on one line', () => {
    expect(escapeMarkdown('one\ntwo\r\nthree')).toBe('one two three');
  });
  it('escapes & first so entities in data stay literal', () => {
    expect(escapeMarkdown('&lt;')).toBe('&amp;lt;');
  });
});

describe('jsonForScript', () => {
  it('cannot end a script element or open a comment', () => {
    const json = jsonForScript({ name: '</script><script>alert(1)</script><!--', amp: 'a&b' });
    expect(json).not.toMatch(/[<>&]/);
    expect(json).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(json)).toEqual({ name: '</script><script>alert(1)</script><!--', amp: 'a&b' });
  });
  it('escapes the JavaScript line terminators U+2028 and U+2029', () => {
    const json = jsonForScript('a\u2028b\u2029c');
    expect(json).toBe('"a\\u2028b\\u2029c"');
    expect(JSON.parse(json)).toBe('a\u2028b\u2029c');
  });
});

describe('csvCell', () => {
  it('guards cells that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
  });
  it('quotes per RFC 4180 only when needed', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });
  it('writes numbers as numbers (negative numbers are not text and are not prefixed)', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });
});
