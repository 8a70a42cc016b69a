import { describe, expect, it } from 'vitest';
import { defaultStatusClass } from '../../src/model/status-class.js';

describe('defaultStatusClass', () => {
  it('uses the source category first (Jira statusCategory keys)', () => {
    expect(defaultStatusClass('Backlog', 'new')).toEqual({ status: 'Backlog', statusClass: 'queue', origin: 'source-category' });
    expect(defaultStatusClass('In Progress', 'indeterminate').statusClass).toBe('active');
    expect(defaultStatusClass('Done', 'done').statusClass).toBe('done');
  });
  it('treats hand-over columns in the indeterminate category as queues', () => {
    for (const status of ['Selected for Development', 'Ready for QA', 'Dev Done', 'Analysis Done', 'Waiting for review']) {
      expect(defaultStatusClass(status, 'indeterminate').statusClass, status).toBe('queue');
    }
  });
  it('falls back to name patterns, then to active', () => {
    expect(defaultStatusClass('Pending').statusClass).toBe('waiting');
    expect(defaultStatusClass('Waiting for Customer').statusClass).toBe('waiting');
    expect(defaultStatusClass('On Hold').statusClass).toBe('blocked');
    expect(defaultStatusClass('Blocked').statusClass).toBe('blocked');
    expect(defaultStatusClass('Resolved').statusClass).toBe('done');
    expect(defaultStatusClass('To Do').statusClass).toBe('queue');
    expect(defaultStatusClass('In Review').statusClass).toBe('active');
    expect(defaultStatusClass('Zorglub')).toEqual({ status: 'Zorglub', statusClass: 'active', origin: 'fallback' });
  });
  it('passes class names given as categories through (Zendesk, ServiceNow adapters)', () => {
    expect(defaultStatusClass('pending', 'waiting').statusClass).toBe('waiting');
    expect(defaultStatusClass('hold', 'waiting').statusClass).toBe('waiting');
  });
});
