import { createHash } from 'node:crypto';
import { Dictionary } from './dictionary.js';
import type { EventLog } from './event-log.js';

/** Attributes that name people (Jira/Zendesk actors, assignees); their values are pseudonymised too. */
const PEOPLE_ATTRIBUTES = /^(actor|author|assignee|reporter|creator|user|owner|requester|submitter|org:resource|case:creator|.*_by|.*[Nn]ame)$/;

/** A stable pseudonym: the same name always gives the same pseudonym (optionally salted against look-ups). */
export function pseudonym(name: string, salt = ''): string {
  return `Person ${createHash('sha256').update(`${salt}\u0000${name}`).digest('hex').slice(0, 6)}`;
}

function pseudonymDictionary(dictionary: Dictionary, salt: string): Dictionary {
  const renamed = new Dictionary();
  // Codes stay the same: intern in code order, and distinct names keep distinct pseudonyms (hash collisions get a suffix).
  for (const value of dictionary.values) {
    let alias = pseudonym(value, salt);
    while (renamed.codeOf(alias) >= 0) alias = `${alias}′`;
    renamed.intern(alias);
  }
  return renamed;
}

/**
 * Replaces people's names (resources and people-like attributes) with stable pseudonyms. Groups and teams are
 * kept: they are organisation units, not people. Returns a new log sharing the unchanged columns.
 */
export function anonymizeLog(log: EventLog, salt = ''): EventLog {
  const attributes = new Map(log.attributes);
  for (const [name, column] of log.attributes) {
    if (PEOPLE_ATTRIBUTES.test(name)) attributes.set(name, { ...column, dictionary: pseudonymDictionary(column.dictionary, salt) });
  }
  return { ...log, ...anonymizeNames(log, salt), attributes };
}

/**
 * anonymizeLog's renaming of the names a log holds beside its events (resources, people-like case attributes and,
 * for a log whose events are in the event store, the event attributes' dictionaries): the same pseudonyms.
 */
export function anonymizeNames<L extends Pick<EventLog, 'resources' | 'caseAttributes'> & { attributeDictionaries?: ReadonlyMap<string, Dictionary> }>(log: L, salt = ''): L {
  const caseAttributes = new Map(log.caseAttributes);
  for (const [name, column] of log.caseAttributes) {
    if (PEOPLE_ATTRIBUTES.test(name)) caseAttributes.set(name, { ...column, dictionary: pseudonymDictionary(column.dictionary, salt) });
  }
  const renamed: L = { ...log, resources: pseudonymDictionary(log.resources, salt), caseAttributes };
  if (log.attributeDictionaries === undefined) return renamed;
  const attributeDictionaries = new Map(log.attributeDictionaries);
  for (const [name, dictionary] of log.attributeDictionaries) if (PEOPLE_ATTRIBUTES.test(name)) attributeDictionaries.set(name, pseudonymDictionary(dictionary, salt));
  return { ...renamed, attributeDictionaries };
}
