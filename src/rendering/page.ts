// The one card layout every screen of the bot uses. Screens build a PageModel; this module owns how it
// looks, so layout changes happen in one place. It is plain typed code rather than an Adaptive Cards
// template: filling the template through adaptivecards-templating took 45% of a turn's own time (see
// bench/profile.mts), the largest single cost between the bot and an echo bot.

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard' };

/** What every button sends back: the verb, the revision of the conversation it was drawn for, and its own values. */
export interface ActionData {
  verb: string;
  rev: number;
  [extra: string]: string | number;
}

export interface ButtonModel {
  title: string;
  verb: string;
  data: ActionData;
  style: 'default' | 'positive' | 'destructive';
  /**
   * Values to type before the button acts: the button opens them below itself, with its own button that
   * sends them. Action.Execute sends only the inputs of its own card and the cards around it, so the
   * fields and the button that sends them are drawn together.
   */
  form?: { inputs: InputModel[]; send: string };
}

export interface FactModel {
  label: string;
  /** Shown as plain text, never as markdown: values may be whatever the admin typed. */
  value: string;
}

export interface SectionModel {
  heading: string;
  lines: string[];
  code: string | null;
  codeLanguage: 'PowerShell' | 'Bash' | 'PlainText';
}

export type InputModel =
  | {
      kind: 'choice';
      id: string;
      label: string;
      value: string;
      style: 'expanded' | 'compact';
      required: boolean;
      requiredMessage: string;
      choices: Array<{ title: string; value: string }>;
      error: string | null;
    }
  | {
      kind: 'text';
      id: string;
      label: string;
      value: string;
      placeholder: string;
      multiline: boolean;
      maxLength: number;
      error: string | null;
    };

export interface PageModel {
  title: string;
  /** The case at a glance (protocol, version, server, mailbox): plain text. */
  caseLine: string | null;
  notice: string | null;
  /** Answers to the notice itself ("Did you mean…?"), drawn inside it. */
  noticeButtons?: ButtonModel[];
  paragraphs: string[];
  facts: FactModel[];
  sections: SectionModel[];
  inputs: InputModel[];
  /** Buttons that answer the card's question, drawn in the body. */
  choices: ButtonModel[];
  /** Ways out that every card offers: back, help, language, start over. */
  more: ButtonModel[];
  /** The screen's own answers, drawn above the ways out. */
  actions: ButtonModel[];
}

type Element = Record<string, unknown>;

function textBlock(text: string, extra: Element = {}): Element {
  return { type: 'TextBlock', text, ...extra, wrap: true };
}

/** A RichTextBlock's TextRun is never read as markdown: what the admin typed is shown as typed. */
function plainText(text: string, run: Element = {}, block: Element = {}): Element {
  return { type: 'RichTextBlock', ...block, inlines: [{ type: 'TextRun', text, ...run }] };
}

function fact(f: FactModel): Element {
  return {
    type: 'Container',
    spacing: 'Small',
    items: [
      {
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 2, items: [textBlock(f.label, { weight: 'Bolder' })] },
          { type: 'Column', width: 5, items: [plainText(f.value)] },
        ],
      },
    ],
  };
}

function section(s: SectionModel): Element {
  const code =
    s.code === null
      ? []
      : [
          {
            type: 'CodeBlock',
            codeSnippet: s.code,
            language: s.codeLanguage,
            // Clients without CodeBlock show the same text in a monospace run, never read as markdown. One run
            // keeps the line breaks and costs the code once more, not once more per line: a card must stay
            // within Teams' message size limit (test/rendering/cardSize.test.ts).
            fallback: plainText(s.code, { fontType: 'Monospace' }),
          },
        ];
  return {
    type: 'Container',
    spacing: 'Medium',
    items: [textBlock(s.heading, { weight: 'Bolder' }), ...s.lines.map((line) => plainText(line, {}, { spacing: 'Small' })), ...code],
  };
}

function input(i: InputModel): Element {
  const field =
    i.kind === 'choice'
      ? {
          type: 'Input.ChoiceSet',
          id: i.id,
          label: i.label,
          value: i.value,
          style: i.style,
          isRequired: i.required,
          errorMessage: i.requiredMessage,
          choices: i.choices.map((c) => ({ title: c.title, value: c.value })),
        }
      : {
          type: 'Input.Text',
          id: i.id,
          label: i.label,
          value: i.value,
          placeholder: i.placeholder,
          isMultiline: i.multiline,
          maxLength: i.maxLength,
        };
  const error = i.error === null ? [] : [textBlock(i.error, { color: 'Attention', spacing: 'None' })];
  return { type: 'Container', spacing: 'Small', items: [field, ...error] };
}

/** Action.Execute for Teams; clients without Universal Actions send the same data as a message instead. */
function action(b: ButtonModel, styled: boolean): Element {
  const { form, ...button } = b;
  if (form) {
    return { type: 'Action.ShowCard', title: b.title, card: { type: 'AdaptiveCard', body: form.inputs.map(input), actions: [action({ ...button, title: form.send }, styled)] } };
  }
  return {
    type: 'Action.Execute',
    title: b.title,
    verb: b.verb,
    data: b.data,
    ...(styled ? { style: b.style } : {}),
    fallback: { type: 'Action.Submit', title: b.title, data: b.data },
  };
}

function actionSet(buttons: ButtonModel[], styled: boolean, extra: Element = {}): Element[] {
  return buttons.length === 0 ? [] : [{ type: 'ActionSet', ...extra, actions: buttons.map((b) => action(b, styled)) }];
}

export function drawPage(page: PageModel): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body: [
      textBlock(page.title, { style: 'heading', size: 'Medium', weight: 'Bolder' }),
      ...(page.caseLine === null ? [] : [plainText(page.caseLine, { isSubtle: true, size: 'Small' }, { spacing: 'None' })]),
      ...(page.notice === null ? [] : [{ type: 'Container', style: 'warning', items: [textBlock(page.notice), ...actionSet(page.noticeButtons ?? [], false)] }]),
      // Paragraphs and lines can quote what the admin pasted or typed: never read as markdown.
      ...page.paragraphs.map((p) => plainText(p)),
      ...page.facts.map(fact),
      ...page.sections.map(section),
      ...page.inputs.map(input),
      ...actionSet(page.choices, false),
      ...actionSet(page.actions, true, { spacing: 'Medium' }),
      ...actionSet(page.more, false, { separator: true, spacing: 'Medium' }),
    ],
  };
}
