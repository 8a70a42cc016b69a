/**
 * Narrowing `unknown` JSON for the API adapters: `asRecord`, `asArray`, `asString`, and a short description of a
 * value's top level for the "got" part of error messages.
 */

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Strings as they are; numbers as their decimal text (ids); anything else undefined. */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A short description of a JSON value's top level for "got" parts of messages: `{issues, total, …}` or `array of 30 {event, actor, …}`. */
export function describeJson(value: unknown): string {
  const keysOf = (record: Record<string, unknown>) => {
    const keys = Object.keys(record);
    return `{${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}}`;
  };
  if (Array.isArray(value)) {
    const first = asRecord(value[0]);
    return `array of ${value.length}${first ? ` ${keysOf(first)}` : ''}`;
  }
  const record = asRecord(value);
  return record ? keysOf(record) : typeof value;
}
