/** A minimal XML tree from saxes, for asserting on rendered SVG. Throws on malformed XML. */
import { SaxesParser } from 'saxes';

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Character data directly inside this element. */
  text: string;
}

export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: { ...(tag.attributes as Record<string, string>) }, children: [], text: '' };
    stack[stack.length - 1]!.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    stack[stack.length - 1]!.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  return root;
}

export function descendants(element: XmlElement, match: (element: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (current: XmlElement): void => {
    for (const child of current.children) {
      if (match(child)) found.push(child);
      visit(child);
    }
  };
  visit(element);
  return found;
}

/** All <text> contents below the element, in document order. */
export function textsOf(element: XmlElement): string[] {
  return descendants(element, (e) => e.name === 'text').map((e) => e.text);
}

export function groupsOfClass(svg: XmlElement, className: string): XmlElement[] {
  return descendants(svg, (e) => e.name === 'g' && e.attributes['class'] === className);
}

export function titleOf(group: XmlElement): string | undefined {
  return group.children.find((child) => child.name === 'title')?.text;
}
