/**
 * Record-level streaming's lists (issue 11 #10): the sink an adapter hands in to take the top-level lists of a page
 * (Jira `issues`, Zendesk `audits`, …) one item at a time, the order rule that decides which lists may still be handed
 * out, and the two ways they are handed out — from a document parsed whole, or item by item from a streamed one.
 */

/** How many leading items of a list the sink sees before it decides to take the list item by item. */
export const LIST_LOOKAHEAD_ITEMS = 20;

/** Takes one item of a list handed out item by item (0-based index in the list). */
export type ListItemHandler = (item: unknown, index: number) => void;

/**
 * Record-level streaming (issue 11 #10): the top-level lists of a root object (Jira `issues`, Zendesk `audits`, …)
 * handed to the adapter one item at a time, so memory follows the records, not the page.
 */
export interface JsonListSink {
  /** Top-level keys of a root object whose arrays may be handed out item by item, in the order the adapter reads them. */
  readonly keys: readonly string[];
  /**
   * Called once per list, in file order, with its first items (at most LIST_LOOKAHEAD_ITEMS): a handler to take every
   * item (the first ones included), or undefined to keep the list whole in the document.
   */
  open(key: string, firstItems: readonly unknown[]): ListItemHandler | undefined;
}

/** One JSON document read, and the lists it handed out: key → items, the value holding only their first items. */
export interface ListedJson {
  value: unknown;
  lists: ReadonlyMap<string, number> | undefined;
  /** Lists kept whole because they came in a streamed file after a list the adapter reads later (see ListOrder). */
  keptOutOfOrder?: string[];
}

/**
 * Tells which lists may still open: the adapter reads its lists in `sink.keys` order, and a streamed file cannot be
 * reordered, so a list that comes after one the adapter reads later is not handed out but kept whole (and named in
 * `outOfOrder`, so the adapter can say it read that list last). A page parsed whole is handed out in the adapter's order.
 */
class ListOrder {
  private lastRank = -1;
  readonly counts = new Map<string, number>();
  readonly outOfOrder: string[] = [];

  constructor(private readonly sink: JsonListSink) {}

  open(key: string, firstItems: readonly unknown[]): ListItemHandler | undefined {
    const rank = this.sink.keys.indexOf(key);
    if (this.counts.has(key)) return undefined;
    if (rank < this.lastRank) {
      this.outOfOrder.push(key);
      return undefined;
    }
    const handler = this.sink.open(key, firstItems);
    if (handler !== undefined) this.lastRank = rank;
    return handler;
  }

  result(value: unknown): ListedJson {
    return { value, lists: this.counts.size > 0 ? this.counts : undefined, ...(this.outOfOrder.length > 0 ? { keptOutOfOrder: this.outOfOrder } : {}) };
  }
}

/** Hands out the lists of a document parsed whole (the small-file path): the same calls the streamed path makes. */
export function handOutLists(value: unknown, sink: JsonListSink | undefined): ListedJson {
  if (sink === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return { value, lists: undefined };
  const record = value as Record<string, unknown>;
  const order = new ListOrder(sink);
  for (const key of sink.keys) {
    const items = record[key];
    if (!Object.hasOwn(record, key) || !Array.isArray(items)) continue;
    const first = items.slice(0, LIST_LOOKAHEAD_ITEMS);
    const handler = order.open(key, first);
    if (handler === undefined) continue;
    items.forEach((item, index) => handler(item, index));
    order.counts.set(key, items.length);
    record[key] = first;
  }
  return order.result(value);
}
/** The lists of one streamed document (the large-file path): which are handed out, their first items, their counts. */
export class ListStream {
  readonly order: ListOrder;
  private key: string | undefined;
  private first: unknown[] = [];
  private kept: unknown[] = [];
  private handler: ListItemHandler | undefined;
  private decided = false;
  private count = 0;
  /** An error thrown by the adapter's handler: passed through as it is, never read as a JSON syntax error. */
  handlerError: unknown;

  constructor(readonly sink: JsonListSink) {
    this.order = new ListOrder(sink);
  }

  /** An item of list `key`, parsed. */
  item(key: string, value: unknown): void {
    if (this.key !== key) this.start(key);
    if (!this.decided) {
      this.first.push(value);
      if (this.first.length >= LIST_LOOKAHEAD_ITEMS) this.decide();
      return;
    }
    this.take(value);
  }

  /** List `key` ended: returns its value in the document, its first items (handed out) or every item (kept). */
  end(key: string): unknown[] {
    if (this.key !== key) this.start(key);
    if (!this.decided) this.decide();
    if (this.handler !== undefined) this.order.counts.set(key, this.count);
    this.key = undefined;
    return this.handler !== undefined ? this.first : this.kept;
  }

  private start(key: string): void {
    this.key = key;
    this.first = [];
    this.kept = [];
    this.handler = undefined;
    this.decided = false;
    this.count = 0;
  }

  private decide(): void {
    this.decided = true;
    this.handler = this.order.open(this.key as string, this.first);
    for (const value of this.first) this.take(value);
  }

  private take(value: unknown): void {
    if (this.handler === undefined) {
      this.kept.push(value);
      this.count++;
      return;
    }
    try {
      this.handler(value, this.count++);
    } catch (error) {
      this.handlerError = error;
      throw error;
    }
  }
}
