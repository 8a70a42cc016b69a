/** Longest derived folder name, in characters (file systems allow 255 bytes; UTF-8 may take 4 a character). */
const MAX_FOLDER_NAME_CHARS = 60;

/**
 * The folder under reports/ that `vsm analyze <file>` writes to when no --out is given, derived from the log's
 * name (issue 11 item 13). A name such as `..`, `.`, `../x`, one with slashes, control characters or characters
 * Windows forbids must not steer the output elsewhere: anything but letters, digits, `-`, `_`, `.` and spaces
 * becomes `_`, leading dots are dropped (no `..`, no hidden folder), the length is capped, and an empty result
 * is `log`.
 */
export function reportFolderName(logName: string): string {
  const cleaned = logName
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}\-_. ]/gu, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const cut = [...cleaned].slice(0, MAX_FOLDER_NAME_CHARS).join('').trim();
  return cut === '' || /^_+$/.test(cut) ? 'log' : cut;
}
