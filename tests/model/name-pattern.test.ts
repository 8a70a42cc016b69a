import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/model/config-parse.js';
import { nameMatcher } from '../../src/model/name-matcher.js';
import { compileNamePattern } from '../../src/model/name-pattern.js';
import { thrownVsmError } from '../vsm-error.js';

const configError = (text: string) => thrownVsmError(() => parseConfig(text, 'vsm.config.json'));

describe('config /patterns/ run in linear time (issue 11 item 11)', () => {
  it('matches /(a+)+$/ against a long name without backtracking, with the JavaScript result', () => {
    // 31 "a" then "!": a backtracking engine tries ~2^31 splits (10.9 s measured); the answer is "no match".
    const matcher = nameMatcher(['/(a+)+$/']);
    expect(matcher.matches(`${'a'.repeat(31)}!`)).toBe(false);
    expect(matcher.matches('aaa')).toBe(true);
  });
  it('refuses backreferences and lookaround with the reason, since they need backtracking', () => {
    const backreference = compileNamePattern('/(a)\\1/');
    expect(backreference.ok).toBe(false);
    if (!backreference.ok) expect(backreference.reason).toMatch(/backreferences and lookaround are not supported/);
    expect(configError('{"exclude": ["/(?=a)b/"]}').what).toMatch(/not a valid regular expression: .*lookaround/);
  });
  it('supports the i, m, s flags and refuses others and over-long patterns', () => {
    expect(nameMatcher(['/^waiting/i']).matches('Waiting for Customer')).toBe(true);
    expect(configError('{"exclude": ["/a/g"]}').what).toContain('flag "g" is not supported');
    expect(configError(`{"exclude": ["/${'a'.repeat(1001)}/"]}`).what).toContain('longer than 1,000 characters');
  });
});

describe('config errors say what is wrong (issue 11 item 17)', () => {
  it('an invalid pattern used as a status key is reported as a regular expression problem, not "Invalid key in record"', () => {
    const error = configError('{"statuses": {"/[unclosed/": "queue"}}');
    expect(error.message).not.toContain('Invalid key in record');
    expect(error.what).toMatch(/^config invalid: not a valid regular expression: missing closing \]/);
    expect(error.where).toBe('vsm.config.json statuses./[unclosed/');
    expect(error.got).toBe('"/[unclosed/"');
  });
  it('accepts a config that starts with a UTF-8 byte-order mark', () => {
    expect(parseConfig('\ufeff{"ownerLevel": "group"}', 'vsm.config.json')).toEqual({ ownerLevel: 'group' });
  });
});
