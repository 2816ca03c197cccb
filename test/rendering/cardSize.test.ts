// Every card the bot sends, at its largest, within what Teams accepts. Teams refuses a bot message over
// about 100 KB, the message "encoded as UTF-16", with 413 MessageSizeTooBig, and recommends keeping it
// within 80 KB "to guarantee successful message delivery" (Microsoft Learn, Teams platform, "Format your
// bot messages", note on the bot message size limit:
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages).
// A card over it is an escalation the admin never sees, so every screen is drawn with every field the
// admin can fill at its maximum length, in both languages, for every version and protocol.
import { CardFactory, MessageFactory } from 'botbuilder';
import { NOTE_LIMIT, type FlowContext, type FlowStateName, FLOW_STATES, type CommandScreen } from '../../src/flow/machine';
import { LIMITS } from '../../src/flow/details';
import { PASTE_LIMIT } from '../../src/flow/diagnosis';
import { CHECKPOINTS, EXCHANGE_VERSIONS, type ExchangeVersion, PROTOCOLS, type Protocol, checkpointsFor, stepsFor } from '../../src/flow/types';
import { LANGUAGES, type Language, translatorFor } from '../../src/i18n';
import { buildHandoff } from '../../src/escalation/handoff';
import { type Notice, type View, renderHandoffCard, renderHelp, renderState } from '../../src/rendering/screens';
import type { AdaptiveCard } from '../../src/rendering/page';

// Teams' recommended ceiling, in UTF-16 code units as Teams counts; the UTF-8 body the bot sends stays
// within the hard limit even if a hop on the way counted bytes.
const RECOMMENDED = 80 * 1024;
const HARD_LIMIT = 100 * 1024;
// The journal keeps its last 40 answers (src/flow/machine.ts): the longest a record's list of steps gets.
const JOURNAL_KEPT = 40;

function fill(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** The longest valid DNS name: 253 characters in labels of at most 63. */
const SERVER = [fill('a', 63), fill('b', 63), fill('c', 63), fill('d', 61)].join('.');
// Quotes PowerShell doubles and backslashes JSON escapes: what makes a value grow on the card.
const MAILBOX = fill("o'b\\", LIMITS.mailbox);
const ERROR_TEXT = fill('-ERR [AUTH] Logon failure: "CONTOSO\\taro" unknown user name or bad password.\n', LIMITS.errorText);
const NOTES: Record<Language, string> = {
  en: fill('Started after the certificate on "EX01\\Default" was renewed; 40 users affected.\n', NOTE_LIMIT),
  ja: fill('昨夜 "EX01\\既定" の証明書を更新してから発生、影響ユーザーは 40 名。\n', NOTE_LIMIT),
};
const REQUESTER = { id: fill('29:1', 512), name: fill('山田 太郎 (Contoso "IT")', 512) };

function details(protocol: Protocol, version: ExchangeVersion | undefined) {
  return { protocol, ...(version ? { version } : {}), server: SERVER, clientHost: SERVER, mailbox: MAILBOX, errorText: ERROR_TEXT };
}

/** Every screen with commands, so the record's "commands already given" holds all of them. */
function everyScreen(version: ExchangeVersion | undefined): CommandScreen[] {
  return [
    ...checkpointsFor(version).flatMap((checkpoint): CommandScreen[] => [
      { screen: 'guide', checkpoint },
      { screen: 'remedy', checkpoint },
    ]),
    { screen: 'check' },
  ];
}

function longestJournal(): FlowContext['journal'] {
  const outcomes = ['stillFailing', 'remedyTried', 'failed', 'worked'] as const;
  return Array.from({ length: JOURNAL_KEPT }, (_, i) => ({ checkpoint: CHECKPOINTS[i % CHECKPOINTS.length]!, outcome: outcomes[i % outcomes.length]! }));
}

/** Each finding's sentence with its quoted values sharing what one paste can hold. */
function diagnoses(language: Language): NonNullable<FlowContext['diagnosis']>[] {
  const sentences = translatorFor(language)('diagnosis', { returnObjects: true }) as Record<string, unknown>;
  return Object.entries(sentences)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([finding, sentence]) => {
      const names = [...new Set([...sentence.matchAll(/\{\{(\w+)(?:, \w+)?\}\}/g)].map((m) => m[1]!))];
      const values = Object.fromEntries(names.map((name) => [name, fill('Client Frontend EX01 "\\" ', Math.floor(PASTE_LIMIT / names.length))]));
      return { source: 'unknown', finding, checkpoint: 'serverSettings' as const, values };
    });
}

function longestNotice(language: Language): Notice {
  const t = translatorFor(language);
  const kinds = Object.keys(t('notice', { returnObjects: true }) as object) as Array<Notice['kind']>;
  const kind = kinds.sort((a, b) => t(`notice.${b}`).length - t(`notice.${a}`).length)[0]!;
  if (kind !== 'didYouMean') return { kind } as Notice;
  // The most a "Did you mean…?" offers: three choices, the longest names among them.
  const choices = [
    { say: 'failedAt:onlineAuth', label: 'failedAt', checkpoint: 'onlineAuth' as const },
    { say: 'goTo:clientSettings', label: 'goTo', checkpoint: 'clientSettings' as const },
    { say: 'confirmEscalation', label: 'confirmEscalation' },
  ];
  return { kind, choices };
}

interface Drawn {
  name: string;
  state?: FlowStateName;
  card: AdaptiveCard;
}

function drawnCards(language: Language): Drawn[] {
  const out: Drawn[] = [];
  const notice = longestNotice(language);
  const ticket = (deliveredTo: string[]) => ({ id: 'ESC-20250101-ABCDEF', createdAt: '2025-01-01T00:00:00.000Z', requester: REQUESTER, language, deliveredTo });
  for (const protocol of PROTOCOLS) {
    for (const version of [undefined, ...EXCHANGE_VERSIONS]) {
      const full: FlowContext = {
        details: details(protocol, version),
        detailErrors: [],
        journal: longestJournal(),
        note: NOTES[language],
        shown: everyScreen(version),
        escalatedFrom: { screen: 'guide', checkpoint: stepsFor(version).at(-1)! },
        escalationReason: 'exhausted',
      };
      const probeTargets = Array.from({ length: 4 }, (_, i) => `${SERVER}:99${i}`);
      const draw = (name: string, state: FlowStateName, context: FlowContext, extra: Partial<View> = {}) =>
        out.push({
          name: `${language} ${protocol} ${version ?? 'no version'}: ${name}`,
          state,
          card: renderState({ state, context, rev: 99999, language, notice, probeTargets, requester: REQUESTER, ...extra }),
        });
      draw('the form, every field wrong', 'gathering', {
        detailErrors: (['protocol', 'version', 'server', 'mailbox', 'errorText'] as const).map((field) => ({ field, problem: 'tooLong' })),
        draft: { protocol, version: version ?? '', server: `${SERVER}x`, mailbox: `${MAILBOX}x`, errorText: `${ERROR_TEXT}x` },
        journal: [],
      }, { firstContact: true });
      for (const state of ['clientSettings', 'checkingAccess', 'choosingFailedStep', 'unsure', 'resolved'] as const) draw(state, state, full);
      for (const step of stepsFor(version)) draw(`step ${step}`, 'checkingStep', { ...full, step });
      for (const checkpoint of checkpointsFor(version)) draw(`fixes for ${checkpoint}`, 'showingRemedy', { ...full, checkpoint });
      for (const diagnosis of diagnoses(language)) draw(`check: ${diagnosis.finding}`, 'checkingSettings', { ...full, diagnosis });
      draw('confirming', 'confirmingEscalation', full);
      for (const targets of [[], ['channel', 'webhook']]) {
        draw(`escalated, delivered to ${targets.length} targets`, 'escalated', full, { ticket: ticket(targets) });
        out.push({ name: `${language} ${protocol} ${version ?? 'no version'}: help-desk card`, card: renderHandoffCard(buildHandoff(full, ticket(targets)), language) });
      }
    }
  }
  out.push({ name: `${language}: help`, card: renderHelp({ state: 'gathering', context: { detailErrors: [], journal: [] }, rev: 1, language }) });
  return out;
}

/** The message as the bot sends it, with the conversation's ids at the longest the bot accepts. */
function activitySize(card: AdaptiveCard): { utf16: number; utf8: number } {
  const activity = {
    ...MessageFactory.attachment(CardFactory.adaptiveCard(card)),
    from: { id: fill('28:b', 512), name: fill('bot', 512) },
    recipient: REQUESTER,
    conversation: { id: fill('a:1', 1024), tenantId: '00000000-0000-0000-0000-000000000000' },
    serviceUrl: fill('https://smba.trafficmanager.net/', 2048),
    replyToId: fill('1', 512),
  };
  const json = JSON.stringify(activity);
  return { utf16: json.length, utf8: Buffer.byteLength(json, 'utf8') };
}

const cards = LANGUAGES.flatMap(drawnCards);

describe('the size of every card', () => {
  it('draws every state of the flow', () => {
    expect([...new Set(cards.map((c) => c.state).filter(Boolean))].sort()).toEqual([...FLOW_STATES].sort());
  });

  it('gives clients without CodeBlock the same code once, in monospace and never read as markdown', () => {
    const blocks: Array<Record<string, unknown>> = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (!node || typeof node !== 'object') return;
      if ((node as Record<string, unknown>).type === 'CodeBlock') blocks.push(node as Record<string, unknown>);
      Object.values(node).forEach(visit);
    };
    cards.forEach((c) => visit(c.card));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(block.fallback).toEqual({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: block.codeSnippet, fontType: 'Monospace' }] });
    }
  });

  it('keeps every card within the 80 KB Teams recommends, counted as UTF-16 as Teams counts it, and its UTF-8 body within 100 KB', () => {
    const over = cards
      .map((c) => ({ name: c.name, ...activitySize(c.card) }))
      .filter((s) => s.utf16 > RECOMMENDED || s.utf8 > HARD_LIMIT);
    expect(over).toEqual([]);
  });
});
