// Reading Adaptive Cards the way a person reads them: the title, the text, the code, the buttons.
export type Card = Record<string, unknown>;

export interface Button {
  title: string;
  verb: string;
  data: Record<string, unknown>;
}

/**
 * Visits every element a Teams client draws; `fallback` content is only drawn by older clients, and `refresh`
 * is Teams asking for the card afresh, not a button anyone sees, so both are skipped.
 */
function walk(node: unknown, visit: (element: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (node && typeof node === 'object') {
    const element = node as Record<string, unknown>;
    visit(element);
    for (const [key, value] of Object.entries(element)) if (key !== 'fallback' && key !== 'refresh' && value && typeof value === 'object') walk(value, visit);
  }
}

export function title(card: Card): string {
  const first = (card.body as Array<Record<string, unknown>>)[0];
  return String(first?.text ?? '');
}

/** Every piece of prose on the card, in order: text blocks, text runs, input labels, button titles. */
export function texts(card: Card): string[] {
  const out: string[] = [];
  walk(card, (e) => {
    if (e.type === 'TextBlock' && typeof e.text === 'string' && e.fontType !== 'Monospace') out.push(e.text);
    if (e.type === 'TextRun' && typeof e.text === 'string') out.push(e.text);
    if (typeof e.label === 'string') out.push(e.label);
    if (typeof e.placeholder === 'string') out.push(e.placeholder);
    if (e.type === 'Action.Execute' && typeof e.title === 'string') out.push(e.title);
    if (e.type === 'Input.ChoiceSet') for (const c of (e.choices as Array<{ title: string }>) ?? []) out.push(c.title);
  });
  return out;
}

export function codeBlocks(card: Card): string[] {
  const out: string[] = [];
  walk(card, (e) => {
    if (e.type === 'CodeBlock' && typeof e.codeSnippet === 'string') out.push(e.codeSnippet);
  });
  return out;
}

export function buttons(card: Card): Button[] {
  const out: Button[] = [];
  walk(card, (e) => {
    if (e.type === 'Action.Execute') {
      out.push({ title: String(e.title), verb: String(e.verb), data: (e.data ?? {}) as Record<string, unknown> });
    }
  });
  return out;
}

export function findButton(card: Card, verb: string, match: Record<string, unknown> = {}): Button | undefined {
  return buttons(card).find((b) => b.verb === verb && Object.entries(match).every(([k, v]) => b.data[k] === v));
}

export function inputValue(card: Card, id: string): unknown {
  let value: unknown;
  walk(card, (e) => {
    if (typeof e.type === 'string' && e.type.startsWith('Input.') && e.id === id) value = e.value;
  });
  return value;
}

/** The choices of a choice input, as Teams lists them. */
export function choicesOf(card: Card, id: string): Array<{ title: string; value: string }> {
  let choices: Array<{ title: string; value: string }> = [];
  walk(card, (e) => {
    if (e.type === 'Input.ChoiceSet' && e.id === id) choices = e.choices as typeof choices;
  });
  return choices;
}
