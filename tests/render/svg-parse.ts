import { SaxesParser } from 'saxes';

export interface ParsedElement {
  name: string;
  attributes: Record<string, string>;
  /** Text directly inside the element (entities decoded). */
  text: string;
  /** `class` attributes of the enclosing elements, outermost first. */
  ancestorClasses: string[];
}

/** Parses SVG/XML strictly (throws on malformed markup) and lists every element with its attributes and text. */
export function parseXmlElements(xml: string): ParsedElement[] {
  const parser = new SaxesParser({ xmlns: false });
  const elements: ParsedElement[] = [];
  const stack: ParsedElement[] = [];
  let failure: Error | null = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    const ancestorClasses = stack.map((parent) => parent.attributes.class).filter((name): name is string => name !== undefined);
    const element: ParsedElement = { name: tag.name, attributes: tag.attributes as Record<string, string>, text: '', ancestorClasses };
    elements.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    if (stack.length > 0) stack[stack.length - 1].text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (failure) throw failure;
  return elements;
}

/** True when no element or attribute could run script: no <script>/<foreignObject>, no on* handlers, no javascript: links. */
export function findActiveContent(elements: readonly ParsedElement[]): string[] {
  const problems: string[] = [];
  for (const element of elements) {
    if (['script', 'foreignObject', 'iframe', 'object', 'embed'].includes(element.name)) problems.push(`<${element.name}>`);
    for (const [name, value] of Object.entries(element.attributes)) {
      if (/^on/i.test(name)) problems.push(`${element.name}@${name}`);
      if (/href$/i.test(name) && /^\s*javascript:/i.test(value)) problems.push(`${element.name}@${name}=${value}`);
    }
  }
  return problems;
}
