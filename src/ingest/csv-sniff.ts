/**
 * Delimiter sniffing from the head of a CSV: count each candidate outside quotes on the first lines and
 * take the one that splits the header into the most columns and every complete line into the same
 * number; ties go to the earlier candidate (`,` before `;` before tab before `|`).
 */
export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

const SAMPLE_LINES = 20;

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) count++;
  }
  return count;
}

/** Splits the head into lines, ignoring newlines inside quotes; drops the last (possibly cut) line. */
function sampleLines(headText: string): string[] {
  const lines: string[] = [];
  let quoted = false;
  let start = 0;
  for (let k = 0; k < headText.length && lines.length < SAMPLE_LINES; k++) {
    const c = headText[k];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      const line = headText.slice(start, k).replace(/\r$/, '');
      if (line !== '') lines.push(line);
      start = k + 1;
    }
  }
  if (lines.length === 0 && start < headText.length) lines.push(headText.slice(start).replace(/\r$/, ''));
  return lines;
}

export function sniffDelimiter(headText: string): string {
  const lines = sampleLines(headText);
  if (lines.length === 0) return ',';
  let best: string = ',';
  let bestScore = -1;
  for (const delimiter of DELIMITER_CANDIDATES) {
    const headerCount = countOutsideQuotes(lines[0], delimiter);
    if (headerCount === 0) continue;
    const consistent = lines.slice(1).filter((line) => countOutsideQuotes(line, delimiter) === headerCount).length;
    // Consistency across rows matters more than the raw count (a comma inside free text must not win).
    const score = consistent * 1000 + headerCount;
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}
