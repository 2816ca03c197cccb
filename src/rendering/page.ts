// The one card layout every screen of the bot uses, filled by the Adaptive Cards templating library.
// Screens build a PageModel; this module owns how it looks, so layout changes happen in one place.
import { Template } from 'adaptivecards-templating';
import pageTemplate from './templates/page.json';

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

const template = new Template(pageTemplate);

export function drawPage(page: PageModel): AdaptiveCard {
  // Clients without CodeBlock fall back to one plain monospace line per command.
  const sections = page.sections.map((s) => ({ ...s, codeLines: s.code?.split('\n') ?? [] }));
  return template.expand({ $root: { ...page, sections } }) as AdaptiveCard;
}
