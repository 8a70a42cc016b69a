import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closestKey, configErrors, parseConfig } from '../../src/model/config-parse.js';
import { nameMatcher } from '../../src/model/name-matcher.js';
import { thrownVsmError } from '../vsm-error.js';

const errorOf = (text: string) => thrownVsmError(() => parseConfig(text, 'vsm.config.json'));

describe('parseConfig', () => {
  it('accepts the full fixture and applies defaults', () => {
    const config = parseConfig(readFileSync('fixtures/config/helpdesk-steps.json', 'utf8'), 'helpdesk-steps.json');
    expect(config.steps?.map((step) => step.name)).toEqual(['Triage', 'Resolve', 'Billing check']);
    // valueClass defaults to value-adding when a step leaves it out
    expect(config.steps?.[0].valueClass).toBe('value-adding');
    expect(config.steps?.[2].valueClass).toBe('necessary');
    expect(config.trigger).toBe('first-event');
    expect(config.calendar?.kind).toBe('business');
  });

  it('accepts an empty config', () => {
    expect(parseConfig('{}', 'vsm.config.json')).toEqual({});
  });

  it('names an unknown top-level key with a did-you-mean fix', () => {
    const error = errorOf('{ "stpes": [] }');
    expect(error.code).toBe('BAD_CONFIG');
    expect(error.where).toBe('vsm.config.json stpes');
    expect(error.fix).toBe('did you mean "steps"?');
  });

  it('names an unknown key inside a step with its dotted path', () => {
    const error = errorOf('{ "steps": [{ "name": "a", "members": ["x"], "valueClas": "waste" }] }');
    expect(error.where).toBe('vsm.config.json steps.0.valueClas');
    expect(error.got).toBe('"waste"');
    expect(error.fix).toBe('did you mean "valueClass"?');
  });

  it('rejects a bad status class with the dotted path and the value', () => {
    const error = errorOf('{ "statuses": { "In Progress": "activ" } }');
    expect(error.where).toBe('vsm.config.json statuses.In Progress');
    expect(error.got).toContain('activ');
    expect(error.fix).toContain('queue | active | waiting | blocked | done');
  });

  it('rejects an invalid regular expression in members', () => {
    const error = errorOf('{ "steps": [{ "name": "a", "members": ["/[/"] }] }');
    expect(error.what).toContain('not a valid regular expression');
    expect(error.where).toBe('vsm.config.json steps.0.members.0');
  });

  it('rejects a bad calendar zone and a bad asOf', () => {
    const calendar = errorOf(
      '{ "calendar": { "kind": "business", "timeZone": "Nope/Nowhere", "workingDays": [1], "hours": [{ "start": "09:00", "end": "17:00" }], "holidays": [] } }',
    );
    expect(calendar.where).toBe('vsm.config.json calendar.timeZone');
    expect(errorOf('{ "asOf": "yesterday" }').where).toBe('vsm.config.json asOf');
  });

  it('reports malformed JSON as BAD_CONFIG', () => {
    expect(errorOf('{ "steps": [], }').what).toBe('config is not valid JSON');
  });

  it('lists every issue for inspect', () => {
    expect(configErrors({ ownerLevel: 'team', exclude: 'Start' }, 'c.json')).toHaveLength(2);
  });
});

describe('nameMatcher / closestKey', () => {
  it('matches exact names and /regex/ patterns', () => {
    const matcher = nameMatcher(['Start', '/^QA/i']);
    expect([matcher.matches('Start'), matcher.matches('qa review'), matcher.matches('Started')]).toEqual([true, true, false]);
  });
  it('suggests only close keys', () => {
    expect(closestKey('ownerlevel', ['ownerLevel', 'owner'])).toBe('ownerLevel');
    expect(closestKey('zzzzzz', ['steps'])).toBeUndefined();
  });
});
