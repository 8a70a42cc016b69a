/**
 * A string dictionary: each distinct value gets a dense integer code in first-seen order.
 * Columns of the EventLog store codes in Int32Arrays; `MISSING_CODE` (-1) marks an absent value.
 */
export const MISSING_CODE = -1;

export class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();
  /**
   * values[0, mapped) are in `codes`. `appendNew` leaves its values out of the Map until the next lookup,
   * so a reader that already knows a value is new (the CSV byte interner, for 600k case ids) skips the
   * Map insert unless someone looks a value up later.
   */
  private mapped = 0;

  /** Returns the code of `value`, adding it when new. */
  intern(value: string): number {
    if (this.mapped < this.values.length) this.mapRest();
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
      this.mapped = code + 1;
    }
    return code;
  }

  /**
   * Adds `value` without looking it up: the caller guarantees it is not in the dictionary yet (else it
   * would get a second code). Returns its code.
   */
  appendNew(value: string): number {
    this.values.push(value);
    return this.values.length - 1;
  }

  /** Returns the code of `value`, or MISSING_CODE when it was never interned. */
  codeOf(value: string): number {
    if (this.mapped < this.values.length) this.mapRest();
    return this.codes.get(value) ?? MISSING_CODE;
  }

  /** Returns the value of `code`, or undefined for MISSING_CODE. */
  valueOf(code: number): string | undefined {
    return code < 0 ? undefined : this.values[code];
  }

  get size(): number {
    return this.values.length;
  }

  private mapRest(): void {
    const values = this.values;
    const codes = this.codes;
    for (let code = this.mapped; code < values.length; code++) {
      // First code wins, as intern would have given it, should a caller break appendNew's promise.
      if (!codes.has(values[code])) codes.set(values[code], code);
    }
    this.mapped = values.length;
  }
}
