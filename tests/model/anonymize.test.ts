import { describe, expect, it } from 'vitest';
import { anonymizeLog, pseudonym } from '../../src/model/anonymize.js';
import { EventLogBuilder } from '../../src/model/event-log-builder.js';

function twoPersonLog() {
  const builder = new EventLogBuilder('activity');
  builder.push({ caseId: 'c1', activity: 'Triage', timestampMs: 0, resource: 'Alice Smith', group: 'Support L1', sourceRow: 1, attributes: { actor: 'Bob Jones', channel: 'email' } });
  builder.push({ caseId: 'c1', activity: 'Fix', timestampMs: 1000, resource: 'Bob Jones', group: 'Dev', sourceRow: 2 });
  return builder.build();
}

describe('anonymizeLog', () => {
  it('replaces resources and people-like attributes with stable pseudonyms, keeps teams and codes', () => {
    const log = twoPersonLog();
    const anonymous = anonymizeLog(log);
    expect(anonymous.resources.values).toEqual([pseudonym('Alice Smith'), pseudonym('Bob Jones')]);
    expect(anonymous.resources.values.join(' ')).not.toMatch(/Alice|Bob/);
    expect(anonymous.groups.values).toEqual(['Support L1', 'Dev']);
    expect(anonymous.resourceCode).toBe(log.resourceCode);
    const actor = anonymous.attributes.get('actor');
    expect(actor?.dictionary.values).toEqual([pseudonym('Bob Jones')]);
    expect(anonymous.attributes.get('channel')?.dictionary.values).toEqual(['email']);
  });
  it('is stable across runs and changes with a salt', () => {
    expect(pseudonym('Alice Smith')).toBe(pseudonym('Alice Smith'));
    expect(pseudonym('Alice Smith')).toMatch(/^Person [0-9a-f]{6}$/);
    expect(pseudonym('Alice Smith', 'salt')).not.toBe(pseudonym('Alice Smith'));
  });
});
