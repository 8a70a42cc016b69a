/**
 * Recognising OCEL 1.0 XML from the head of a file, kept apart from the OCEL 1.0 reader so that sniffing a CSV
 * never loads the XML parser.
 */

/** True when the head of an XML file is OCEL 1.0 (`<global scope=…>` and `omap`/`object-types`/`ovmap` keys), not OCEL 2.0 or XES. */
export function isOcel1XmlHead(head: string): boolean {
  return /<global\s+scope=/.test(head) && /key="(ocel:)?(omap|object-types|ovmap)"/.test(head) && !/<trace[\s>]/.test(head);
}
