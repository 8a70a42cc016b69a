/**
 * A string dictionary: each distinct value gets a dense integer code in first-seen order.
 * Columns of the EventLog store codes in Int32Arrays; `MISSING_CODE` (-1) marks an absent value.
 */
export const MISSING_CODE = -1;

export class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  /** Returns the code of `value`, adding it when new. */
  intern(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
    }
    return code;
  }

  /** Returns the code of `value`, or MISSING_CODE when it was never interned. */
  codeOf(value: string): number {
    return this.codes.get(value) ?? MISSING_CODE;
  }

  /** Returns the value of `code`, or undefined for MISSING_CODE. */
  valueOf(code: number): string | undefined {
    return code < 0 ? undefined : this.values[code];
  }

  get size(): number {
    return this.values.length;
  }
}
