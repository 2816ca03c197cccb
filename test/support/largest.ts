// Every field of a case at its largest, and a card measured as Teams measures the message that carries it:
// what the card size tests draw, so that each card the bot sends is held to Teams' limit at its worst.
// Teams refuses a bot message over about 100 KB, the message "encoded as UTF-16", with 413 MessageSizeTooBig,
// and recommends keeping it within 80 KB "to guarantee successful message delivery" (Microsoft Learn, Teams
// platform, "Format your bot messages", note on the bot message size limit:
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages).
import { CardFactory, MessageFactory } from 'botbuilder';
import { NOTE_LIMIT, type FlowContext, type CommandScreen } from '../../src/flow/machine';
import { LIMITS } from '../../src/flow/details';
import { CHECKPOINTS, type ExchangeVersion, type Protocol, checkpointsFor, stepsFor } from '../../src/flow/types';
import type { Language } from '../../src/i18n';
import type { EscalationTicket } from '../../src/escalation/handoff';
import type { AdaptiveCard } from '../../src/rendering/page';

// Teams' recommended ceiling, in UTF-16 code units as Teams counts; the UTF-8 body the bot sends stays
// within the hard limit even if a hop on the way counted bytes.
export const RECOMMENDED = 80 * 1024;
export const HARD_LIMIT = 100 * 1024;
// The journal keeps its last 40 answers (src/flow/machine.ts): the longest a record's list of steps gets.
const JOURNAL_KEPT = 40;

export function fill(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** The longest valid DNS name: 253 characters in labels of at most 63. */
export const SERVER = [fill('a', 63), fill('b', 63), fill('c', 63), fill('d', 61)].join('.');
// Quotes PowerShell doubles and backslashes JSON escapes: what makes a value grow on the card.
export const MAILBOX = fill("o'b\\", LIMITS.mailbox);
export const ERROR_TEXT = fill('-ERR [AUTH] Logon failure: "CONTOSO\\taro" unknown user name or bad password.\n', LIMITS.errorText);
const NOTES: Record<Language, string> = {
  en: fill('Started after the certificate on "EX01\\Default" was renewed; 40 users affected.\n', NOTE_LIMIT),
  ja: fill('昨夜 "EX01\\既定" の証明書を更新してから発生、影響ユーザーは 40 名。\n', NOTE_LIMIT),
};
export const REQUESTER = { id: fill('29:1', 512), name: fill('山田 太郎 (Contoso "IT")', 512) };

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

/** A conversation that has been everywhere, with every field at its longest, escalated from the last step. */
export function longestContext(language: Language, protocol: Protocol, version: ExchangeVersion | undefined): FlowContext {
  return {
    details: details(protocol, version),
    detailErrors: [],
    journal: longestJournal(),
    note: NOTES[language],
    shown: everyScreen(version),
    escalatedFrom: { screen: 'guide', checkpoint: stepsFor(version).at(-1)! },
    escalationReason: 'exhausted',
  };
}

export function longestTicket(language: Language, deliveredTo: string[]): EscalationTicket {
  return { id: 'ESC-20250101-ABCDEF', createdAt: '2025-01-01T00:00:00.000Z', requester: REQUESTER, language, deliveredTo };
}

/** The message as the bot sends it, with the conversation's ids at the longest the bot accepts. */
export function activitySize(card: AdaptiveCard): { utf16: number; utf8: number } {
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
