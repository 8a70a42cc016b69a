/**
 * The item splitter of record-level streaming (issue 11 #10): cuts a streamed root object's record lists into single
 * items, each parsed on its own, and passes the rest of the document (the head) to the streaming token parser.
 */
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, isWhitespace } from './json-bytes.js';
import type { ListStream } from './json-lists.js';

/**
 * Splits a streamed root object into its record lists' items and the rest (the head). Each item's bytes go to
 * JSON.parse (native, and it allocates only the record), the head's bytes (with each handed-out list left as `[]`) to
 * the streaming token parser. It only finds boundaries: anything malformed makes JSON.parse or the token parser throw,
 * and the caller then names the error by re-reading the file with the token parser alone.
 */
export class ItemSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** At depth 1: the next string is a key (after `{` or `,`). */
  private expectKey = false;
  /** 0 none, 1 inside a depth-1 key, 2 key read (`:` next), 3 after `:` (the value next). */
  private keyState = 0;
  private keyParts: Buffer[] = [];
  private keyStart = 0;
  private key = '';
  /** The list being handed out, while its items are read. */
  private listKey: string | undefined;
  private inItem = false;
  private itemStart = 0;
  private itemParts: Buffer[] = [];
  private afterComma = false;
  /** Each list's value in the document once it ended (first items, or every item when kept). */
  readonly finals = new Map<string, unknown[]>();

  constructor(
    private readonly lists: ListStream,
    private readonly head: (bytes: Buffer) => void,
  ) {}

  write(chunk: Buffer): void {
    let headStart = this.listKey === undefined ? 0 : -1;
    this.itemStart = 0;
    this.keyStart = 0;
    for (let k = 0; k < chunk.length; k++) {
      const b = chunk[k];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.keyState === 1) {
            this.keyParts.push(chunk.subarray(this.keyStart, k));
            this.key = JSON.parse(`"${Buffer.concat(this.keyParts).toString('utf8')}"`) as string;
            this.keyParts = [];
            this.keyState = 2;
          }
        }
        continue;
      }
      if (this.listKey !== undefined && !this.inItem) {
        if (isWhitespace(b)) continue;
        if (b === CLOSE_BRACKET) {
          if (this.afterComma) throw new SyntaxError('a list ends with a comma');
          this.endList();
          headStart = k;
          continue;
        }
        if (b === COMMA) throw new SyntaxError('a list has a comma without an item');
        this.inItem = true;
        this.itemStart = k;
        this.afterComma = false;
      }
      if (b === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && this.expectKey) {
          this.expectKey = false;
          this.keyState = 1;
          this.keyStart = k + 1;
        } else if (this.depth === 1) this.keyState = 0;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (this.depth === 1 && this.keyState === 3) {
          this.keyState = 0;
          if (b === OPEN_BRACKET && this.lists.sink.keys.includes(this.key)) {
            this.head(chunk.subarray(headStart, k + 1));
            headStart = -1;
            this.depth = 2;
            this.listKey = this.key;
            continue;
          }
        }
        this.depth++;
        if (this.depth === 1) this.expectKey = true;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (this.inItem && this.depth === 2) {
          this.finishItem(chunk, k);
          this.endList();
          headStart = k;
          continue;
        }
        this.depth--;
      } else if (b === COMMA) {
        if (this.inItem && this.depth === 2) {
          this.finishItem(chunk, k);
          this.afterComma = true;
        } else if (this.depth === 1) this.expectKey = true;
      } else if (b === COLON) {
        if (this.depth === 1 && this.keyState === 2) this.keyState = 3;
      } else if (this.depth === 1 && this.keyState === 3 && !isWhitespace(b)) this.keyState = 0;
    }
    if (this.listKey === undefined) {
      if (headStart >= 0 && headStart < chunk.length) this.head(chunk.subarray(headStart));
    } else if (this.inItem) this.itemParts.push(chunk.subarray(this.itemStart));
    if (this.keyState === 1) this.keyParts.push(chunk.subarray(this.keyStart));
  }

  private finishItem(chunk: Buffer, end: number): void {
    this.itemParts.push(chunk.subarray(this.itemStart, end));
    const text = (this.itemParts.length === 1 ? this.itemParts[0] : Buffer.concat(this.itemParts)).toString('utf8');
    this.itemParts = [];
    this.inItem = false;
    this.lists.item(this.listKey as string, JSON.parse(text));
  }

  private endList(): void {
    const key = this.listKey as string;
    this.finals.set(key, this.lists.end(key));
    this.listKey = undefined;
    this.afterComma = false;
    this.depth = 1;
  }
}
