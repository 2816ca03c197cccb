// Every card the bot sends, at its largest, within what Teams accepts (test/support/largest.ts). A card
// over it is an escalation the admin never sees, so every screen is drawn with every field the admin can
// fill at its maximum length, in both languages, for every version and protocol.
import { PASTE_LIMIT } from '../../src/flow/diagnosis';
import { type FlowContext, type FlowStateName, FLOW_STATES } from '../../src/flow/machine';
import { EXCHANGE_VERSIONS, PROTOCOLS, checkpointsFor, stepsFor } from '../../src/flow/types';
import { LANGUAGES, type Language, translatorFor } from '../../src/i18n';
import { buildHandoff } from '../../src/escalation/handoff';
import { renderCaseCard } from '../../src/rendering/caseCards';
import { type Notice, type View, renderHelp, renderState } from '../../src/rendering/screens';
import type { AdaptiveCard } from '../../src/rendering/page';
import { ERROR_TEXT, HARD_LIMIT, MAILBOX, RECOMMENDED, REQUESTER, SERVER, activitySize, fill, longestContext, longestTicket } from '../support/largest';

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
  const ticket = (deliveredTo: string[]) => longestTicket(language, deliveredTo);
  for (const protocol of PROTOCOLS) {
    for (const version of [undefined, ...EXCHANGE_VERSIONS]) {
      const full = longestContext(language, protocol, version);
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
        const record = buildHandoff(full, ticket(targets));
        // Where the case stands is drawn on the escalated card: at its longest, with Microsoft and a ticket.
        const standing = { id: record.id, record, rev: 9, status: 'withMicrosoft' as const, context: { reopened: 9, owner: { id: 'm', name: 'N'.repeat(128) }, serviceRequest: '9'.repeat(64), ticketId: 'T'.repeat(64) } };
        draw(`escalated, delivered to ${targets.length} targets`, 'escalated', full, { ticket: ticket(targets), standing });
        out.push({ name: `${language} ${protocol} ${version ?? 'no version'}: help-desk card`, card: renderCaseCard({ id: record.id, record, rev: 0, status: 'open', context: { reopened: 0 } }, language) });
      }
    }
  }
  out.push({ name: `${language}: help`, card: renderHelp({ state: 'gathering', context: { detailErrors: [], journal: [] }, rev: 1, language }) });
  return out;
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
