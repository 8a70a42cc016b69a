/**
 * A fast tokenizer for the XML that XES exports are made of (issue 14: speed). It sends readXes the events saxes
 * would send: the open tag with its name and attributes, the close tag, and the line at the tag's `>`. It takes
 * only a strict, common subset of XML:
 * - elements with ASCII names and attributes in single or double quotes;
 * - the five predefined entities and character references in attribute values;
 * - whitespace between tags, comments, and an XML declaration at the start.
 *
 * Anything else throws FastXmlBailout, and readXes reads the file again with saxes, which accepts it or reports it
 * exactly as before. That covers text content, CDATA, DOCTYPE, processing instructions, non-ASCII names, tabs or line
 * ends or characters XML forbids in a value, an unknown entity, a lone CR, a duplicate attribute, a mismatched or
 * missing close tag, and a second root. So a file is either read by this tokenizer with saxes's result, or by saxes
 * (tests/ingest/xes-fast.test.ts checks both on every fixture, every shared XES log and a list of hostile cases).
 *
 * The bench's 1 M-event XES (320 MB) reads in 3.32–3.49 s with it against 4.05–4.11 s with saxes, and bpic2012.xes.gz in
 * 0.76–0.80 s against 0.95–0.99 s (docs/benchmarks.md, stop 31). The tokenizer alone takes ≈ 1.6 s of the 1 M read; the
 * rest is decoding the bytes, the timestamps and the builder.
 */

/** Thrown when the input leaves the subset this tokenizer takes; the caller reads the file with saxes instead. */
export class FastXmlBailout extends Error {
  constructor(reason: string) {
    super(`fast XES tokenizer: ${reason}`);
  }
}

/** What an open tag hands on: its name and the attributes readXes reads (`key`, `value`); reused from tag to tag. */
export interface FastTag {
  name: string;
  attributes: { key?: string; value?: string };
}

const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** The longest tag or comment kept waiting for its end across chunks; past it the tokenizer leaves the file to saxes. */
const MAX_PENDING_CHARS = 1 << 20;

/** Characters a value must not hold for the fast path: XML's forbidden controls and non-characters, markup, tab and line ends (which XML rewrites to spaces), lone or paired surrogates. */
const VALUE_SPECIAL = /[\u0000-\u001f<&\ud800-\udfff\ufffe\uffff]/;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED_ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const XML_DECLARATION = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>$/;
/** Between tags: anything but a space, tab, LF, or a CR that an LF follows. */
const NOT_SPACE = /[^ \t\r\n]|\r(?!\n)/g;
/** A CR that no LF follows (saxes counts it as a line end of its own: the fast tokenizer leaves such files to it). */
const LONE_CR = /\r(?!\n)/;
/** Characters XML forbids in a comment (and two hyphens, which end one early). */
const COMMENT_SPECIAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|--/;

function isNameStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || code === 0x3a;
}

function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e;
}

function isSpace(code: number): boolean {
  return code === SPACE || code === LF || code === TAB || code === CR;
}

/** A value with entities: each replaced by its character, or a bailout for any other `&`, markup or forbidden character. */
function decodeValue(raw: string): string {
  const decoded = raw.replace(ENTITY, (_match, named: string | undefined, decimal: string | undefined, hex: string | undefined) => {
    if (named !== undefined) return NAMED_ENTITY[named];
    const code = decimal !== undefined ? Number(decimal) : Number.parseInt(hex as string, 16);
    // XML's Char: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) throw new FastXmlBailout(`character reference &#${decimal ?? `x${hex}`};`);
    return String.fromCodePoint(code);
  });
  // What the references did not replace must hold nothing special (`&` of an unknown entity, `<`, forbidden characters).
  if (VALUE_SPECIAL.test(raw.replace(ENTITY, ''))) throw new FastXmlBailout('a value with markup, a tab, a line end or a forbidden character');
  return decoded;
}

/**
 * Feeds on the text of an XES file chunk by chunk (`write`, then `close`) and calls `onOpen` / `onClose` as saxes's
 * opentag and closetag events would come. `line` is saxes's `line` at each call (1-based: the line of the tag's `>`).
 */
export class FastXesTokenizer {
  line = 1;
  private pending = '';
  private readonly stack: string[] = [];
  private rootSeen = false;
  private rootClosed = false;
  private atDocumentStart = true;
  /** Something was read already: an XML declaration is no longer where XML allows one. */
  private begun = false;
  private readonly tag: FastTag = { name: '', attributes: {} };
  private readonly attributeNames: string[] = [];

  constructor(
    private readonly onOpen: (tag: FastTag) => void,
    private readonly onClose: (name: string) => void,
  ) {}

  write(chunk: string): void {
    let text = this.pending === '' ? chunk : this.pending + chunk;
    if (this.atDocumentStart && text.length > 0) {
      // A byte order mark, which saxes skips too.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.length > 0) this.atDocumentStart = false;
    }
    const consumed = this.consume(text);
    this.pending = consumed === text.length ? '' : text.slice(consumed);
    if (this.pending.length > MAX_PENDING_CHARS) throw new FastXmlBailout('a tag or comment longer than the pending limit');
  }

  close(): void {
    if (this.pending !== '') throw new FastXmlBailout('the file ends inside a tag or comment');
    if (!this.rootSeen || this.stack.length > 0) throw new FastXmlBailout('the file ends with elements open');
  }

  /** Reads every complete construct of `text`; returns where the first incomplete one starts (text.length when none). */
  private consume(text: string): number {
    let at = 0;
    const end = text.length;
    for (;;) {
      const open = text.indexOf('<', at);
      const stop = open < 0 ? end : open;
      // Between tags: whitespace only (XES has no text content; saxes reads any other text).
      if (stop > at) {
        this.begun = true;
        // The first character that is not a space, tab, LF or the CR of a CRLF must be the '<' (or the text's end).
        NOT_SPACE.lastIndex = at;
        const found = NOT_SPACE.test(text) ? NOT_SPACE.lastIndex - 1 : end;
        if (found < stop) {
          if (found + 1 === end && text.charCodeAt(found) === CR) return this.countLines(text, at, found);
          throw new FastXmlBailout(text.charCodeAt(found) === CR ? 'a CR without LF' : 'text content');
        }
        this.countLines(text, at, stop);
      }
      if (open < 0) return end;
      const next = open + 1 < end ? text.charCodeAt(open + 1) : -1;
      if (next < 0) return open;
      let after: number;
      if (next === SLASH) after = this.closeTag(text, open);
      else if (next === BANG) after = this.comment(text, open);
      else if (next === QUESTION) after = this.declaration(text, open);
      else after = this.openTag(text, open);
      if (after < 0) return open;
      this.begun = true;
      at = after;
    }
  }

  /** Counts the LFs of text[from, to) into `line`; returns `to`. */
  private countLines(text: string, from: number, to: number): number {
    for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) this.line++;
    return to;
  }

  /** `</name>`: returns the offset past it, or -1 when the text ends first. */
  private closeTag(text: string, open: number): number {
    const gt = text.indexOf('>', open + 2);
    if (gt < 0) return -1;
    let nameEnd = open + 2;
    while (nameEnd < gt && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
    const name = text.slice(open + 2, nameEnd);
    for (let i = nameEnd; i < gt; i++) {
      const code = text.charCodeAt(i);
      if (!isSpace(code)) throw new FastXmlBailout('a close tag with more than a name');
      if (code === CR && text.charCodeAt(i + 1) !== LF) throw new FastXmlBailout('a CR without LF');
      if (code === LF) this.line++;
    }
    if (name === '' || !isNameStart(name.charCodeAt(0)) || this.stack.pop() !== name) throw new FastXmlBailout(`a close tag </${name}> that does not match`);
    if (this.stack.length === 0) this.rootClosed = true;
    this.onClose(name);
    return gt + 1;
  }

  /** `<!-- … -->` (anything else after `<!` is left to saxes). */
  private comment(text: string, open: number): number {
    if (text.length < open + 4) return -1;
    if (!text.startsWith('<!--', open)) throw new FastXmlBailout('<! that is not a comment (CDATA, DOCTYPE)');
    const close = text.indexOf('-->', open + 4);
    if (close < 0) return -1;
    const body = text.slice(open + 4, close);
    if (COMMENT_SPECIAL.test(body) || body.endsWith('-')) throw new FastXmlBailout('a comment with -- or a forbidden character');
    if (LONE_CR.test(body)) throw new FastXmlBailout('a CR without LF');
    this.countLines(text, open + 4, close);
    return close + 3;
  }

  /** The XML declaration, only as the document's first construct (other processing instructions are left to saxes). */
  private declaration(text: string, open: number): number {
    const close = text.indexOf('?>', open + 2);
    if (close < 0) return -1;
    const declaration = text.slice(open, close + 2);
    if (this.begun || !XML_DECLARATION.test(declaration)) throw new FastXmlBailout('a processing instruction');
    if (LONE_CR.test(declaration)) throw new FastXmlBailout('a CR without LF');
    return this.countLines(text, open, close + 2);
  }

  /** `<name attr="value" …>` or `…/>`: returns the offset past it, or -1 when the text ends first (nothing is sent then). */
  private openTag(text: string, open: number): number {
    const end = text.length;
    let at = open + 1;
    if (!isNameStart(text.charCodeAt(at))) throw new FastXmlBailout('a tag name that is not ASCII');
    while (at < end && isNameChar(text.charCodeAt(at))) at++;
    if (at === end) return -1;
    const name = text.slice(open + 1, at);
    const attributes = this.tag.attributes;
    attributes.key = undefined;
    attributes.value = undefined;
    const names = this.attributeNames;
    names.length = 0;
    let newlines = 0;
    for (;;) {
      // Whitespace, then the tag's end or an attribute (which must follow whitespace).
      const spaceStart = at;
      while (at < end) {
        const code = text.charCodeAt(at);
        if (code === LF) newlines++;
        else if (code === CR) {
          if (at + 1 === end) return -1;
          if (text.charCodeAt(at + 1) !== LF) throw new FastXmlBailout('a CR without LF');
        } else if (code !== SPACE && code !== TAB) break;
        at++;
      }
      if (at === end) return -1;
      const code = text.charCodeAt(at);
      if (code === GT || code === SLASH) {
        if (code === SLASH) {
          if (at + 1 === end) return -1;
          if (text.charCodeAt(at + 1) !== GT) throw new FastXmlBailout('/ not followed by > in a tag');
        }
        this.line += newlines;
        this.openElement(name);
        if (code === SLASH) {
          this.stack.pop();
          if (this.stack.length === 0) this.rootClosed = true;
          this.onClose(name);
          return at + 2;
        }
        return at + 1;
      }
      if (at === spaceStart || !isNameStart(code)) throw new FastXmlBailout('an attribute not after whitespace, or not an ASCII name');
      const nameStart = at;
      while (at < end && isNameChar(text.charCodeAt(at))) at++;
      if (at === end) return -1;
      const attribute = text.slice(nameStart, at);
      // Optional whitespace around `=` (no line ends there, for simplicity: saxes takes them, the bailout sends it the file).
      while (at < end && (text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB)) at++;
      if (at === end) return -1;
      if (text.charCodeAt(at) !== EQUALS) throw new FastXmlBailout('an attribute without =');
      at++;
      while (at < end && (text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB)) at++;
      if (at === end) return -1;
      const quote = text.charCodeAt(at);
      if (quote !== QUOTE && quote !== APOSTROPHE) throw new FastXmlBailout('an unquoted attribute value');
      const close = text.indexOf(quote === QUOTE ? '"' : "'", at + 1);
      if (close < 0) return -1;
      const raw = text.slice(at + 1, close);
      const value = VALUE_SPECIAL.test(raw) ? decodeValue(raw) : raw;
      if (names.includes(attribute)) throw new FastXmlBailout(`a repeated attribute ${attribute}`);
      names.push(attribute);
      if (attribute === 'key') attributes.key = value;
      else if (attribute === 'value') attributes.value = value;
      at = close + 1;
    }
  }

  private openElement(name: string): void {
    if (this.stack.length === 0) {
      if (this.rootClosed) throw new FastXmlBailout('a second root element');
      this.rootSeen = true;
    }
    this.stack.push(name);
    this.tag.name = name;
    this.onOpen(this.tag);
  }
}

