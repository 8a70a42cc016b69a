/**
 * The string of ASCII bytes[start, end): up to 12 bytes by String.fromCharCode on the bytes (no call into the
 * runtime, which Buffer#toString makes: ≈ 15 % of interning the 1 M log's case ids, one new string per case), longer
 * ones by Buffer#toString. For ASCII the two give the same string (a byte is its own code unit).
 */
export function asciiString(bytes: Buffer, start: number, end: number): string {
  const b = bytes;
  const s = start;
  switch (end - start) {
    case 1:
      return String.fromCharCode(b[s]);
    case 2:
      return String.fromCharCode(b[s], b[s + 1]);
    case 3:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2]);
    case 4:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    case 12:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
    default:
      return bytes.toString('latin1', start, end);
  }
}
