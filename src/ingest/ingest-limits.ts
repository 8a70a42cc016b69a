/**
 * The caps every reader applies to hostile or broken input (docs/limits.md): each says what it bounds and what
 * happens past it. Defaults are far above any real export seen (the largest real gzip ratio in ../shared/data is
 * 43:1, the longest real value a few KB); tests lower them through ReadOptions.limits to stay fast.
 */
import { VsmError } from '../errors.js';

export interface IngestLimits {
  /** gzip: decompressed ÷ compressed bytes above this stops the read (INPUT_TOO_LARGE)… */
  maxInflateRatio: number;
  /** …once the decompressed size passes this many bytes (small, very repetitive files stay readable). */
  inflateRatioFloorBytes: number;
  /** XML (XES, OCEL XML): the longest stretch of text without a `>`: one tag, attribute value, comment or text. */
  maxXmlTokenChars: number;
  /** JSON: the longest single string, number or key. */
  maxJsonValueChars: number;
  /** Inputs parsed whole (CSV-like ServiceNow/Salesforce/HR pages, OCEL JSON): the longest text, in characters. */
  maxWholeTextChars: number;
  /** CSV: the most columns a header may have. */
  maxCsvColumns: number;
  /** Named pipes (FIFOs): how long to wait for a writer to open the other end, in ms. */
  pipeOpenTimeoutMs: number;
  /** JSON: documents up to this many bytes are parsed whole (JSON.parse, faster); larger ones as a stream. */
  wholeJsonParseBytes: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxInflateRatio: 150,
  inflateRatioFloorBytes: 64 * 1024 * 1024,
  maxXmlTokenChars: 64 * 1024 * 1024,
  maxJsonValueChars: 64 * 1024 * 1024,
  maxWholeTextChars: 256 * 1024 * 1024,
  maxCsvColumns: 10_000,
  wholeJsonParseBytes: 32 * 1024 * 1024,
  pipeOpenTimeoutMs: 30_000,
};

export function ingestLimits(overrides: Partial<IngestLimits> | undefined): IngestLimits {
  return { ...DEFAULT_INGEST_LIMITS, ...overrides };
}

/** "64 MiB" / "1,000 chars" for messages. */
function sizeText(count: number, unit: string): string {
  if (unit === 'bytes' && count >= 1024 * 1024) return `${Math.round(count / (1024 * 1024))} MiB`;
  return `${String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${unit}`;
}

/** Tracks decompressed bytes against compressed bytes read; throws INPUT_TOO_LARGE past the ratio cap. */
export class InflateGuard {
  private inflatedBytes = 0;

  constructor(
    private readonly where: string,
    private readonly limits: IngestLimits,
    private readonly compressedBytesRead: () => number,
  ) {}

  add(bytes: number): void {
    this.inflatedBytes += bytes;
    if (this.inflatedBytes <= this.limits.inflateRatioFloorBytes) return;
    const compressed = Math.max(1, this.compressedBytesRead());
    const ratio = this.inflatedBytes / compressed;
    if (ratio > this.limits.maxInflateRatio) {
      throw new VsmError({
        code: 'INPUT_TOO_LARGE',
        what: 'gzip input inflates far more than any real export (a gzip bomb?)',
        where: this.where,
        got: `${sizeText(this.inflatedBytes, 'bytes')} from ${sizeText(compressed, 'bytes')} read (${Math.round(ratio)}:1, the limit is ${this.limits.maxInflateRatio}:1)`,
        fix: 'check the file; if it is a genuine export, decompress it yourself (gunzip) and pass the plain file',
      });
    }
  }
}

/** The error for one value (JSON string, XML token, whole text) past its cap. */
export function valueTooLongError(what: string, where: string, lengthChars: number, limitChars: number, fix: string): VsmError {
  return new VsmError({ code: 'INPUT_TOO_LARGE', what, where, got: `more than ${sizeText(lengthChars, 'chars')} (the limit is ${sizeText(limitChars, 'chars')})`, fix });
}
