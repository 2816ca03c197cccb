// One turn of a conversation: load what was kept, work out what the admin meant, move the flow,
// keep the result, and draw the screen. Knows nothing of Teams or HTTP: the transport hands it an Inbound.
import { type EscalationTicket, type HandoffRecord, type Requester, buildHandoff, newEscalationId } from '../escalation/handoff';
import type { HelpdeskAddress, Registration } from '../escalation/helpdesk';
import type { FlowEvent } from '../flow/machine';
import { type FlowStateName, accepts, initialSnapshot, nextSnapshot } from '../flow/machine';
import type { Diagnosis } from '../flow/diagnosis';
import type { Protocol } from '../flow/types';
import { type Language, resolveLanguage } from '../i18n';
import type { Logger } from '../logging';
import type { AdaptiveCard } from '../rendering/page';
import { type Notice, renderHelp, renderState } from '../rendering/screens';
import { renderCaseList } from '../rendering/caseCards';
import { claimEscalation } from '../escalation/claim';
import { CHANNEL_TARGET, type CaseFile } from '../escalation/caseFile';
import type { ReplyAddress } from '../escalation/outbox';
import { readOrSetAside } from '../storage/damaged';
import { DamagedValueError, EtagConflictError, type KeyValueStore, StorageUnavailableError } from '../storage/store';
import { type CardAction, parseCardAction, typedInputs } from './cardAction';
import { caseAfter } from './caseKeeping';
import { CaseFiler, fileTurn } from './caseFiling';
import { type Decision, move, show } from './decision';
import { decideForMeaning, eventFor } from './meanings';
import { decideForText, pasted } from './typed';
import { ReportDesk } from './report';
import { caseFactsKey } from '../insights/caseFacts';
import { type Understanding, parseMeaningName } from '../understanding';
import {
  type CaseRef,
  type ConversationRecord,
  type FlowSnapshot,
  type UserPrefs,
  restore,
  restoreDamaged,
  stateName,
  toRecord,
} from './record';

export interface Inbound {
  channelId: string;
  conversationId: string;
  userId: string;
  userName?: string;
  locale?: string;
  /** Where replies to this conversation go, and what kind of conversation it is: a channel can become the help desk's. */
  serviceUrl?: string;
  tenantId?: string;
  conversationType?: string;
  /** `welcome`: the bot was just added; `text`: the admin typed; `action`: a card button was clicked. */
  kind: 'welcome' | 'text' | 'action';
  /** The channel's id for this delivery; a retry carries the same one. */
  activityId?: string;
  text?: string;
  actionData?: unknown;
  now: Date;
}

export interface TurnResult {
  /** The last card shows where the conversation is; when it answers a click it replaces the clicked card. */
  cards: AdaptiveCard[];
  /** A retried delivery: nothing was changed, and a message needs no second answer. */
  duplicate?: boolean;
  /** Set on the turn that confirmed an escalation. */
  handoff?: HandoffRecord;
  /** Where the troubleshooting flow stands after the turn; absent when the turn was not the flow's (a case button, say). */
  state?: FlowStateName;
}

/** The optional live check of a POP3/IMAP4 endpoint: which endpoints may be checked, and the check itself. */
export interface ProbePort {
  targets: string[];
  run(target: string, protocol: Protocol): Promise<Diagnosis>;
}

/** What the conversation needs from the escalation room: somewhere to send a handoff, and the help desk's channel. */
export interface HandoffPort {
  enqueue(record: HandoffRecord, from: { conversation: string; replyTo?: ReplyAddress }): Promise<string[]>;
  /**
   * Opens the case file the help desk works the case in; `inChannel` when the case card goes to the help-desk
   * channel; `factsKey` where the conversation keeps the case's facts, which learn when the case is taken.
   */
  openCase(record: HandoffRecord, admin: CaseFile['admin'], inChannel: boolean, factsKey: string | undefined): Promise<void>;
  /** The case as the help desk has it now. */
  caseStanding(id: string): Promise<CaseFile | undefined>;
  registerChannel(address: HelpdeskAddress): Promise<Registration>;
  helpdeskChannel(): Promise<HelpdeskAddress | undefined>;
}

const SUBMITS: readonly CardAction['verb'][] = ['details', 'confirmEscalation'];

function decideForAction(action: CardAction | undefined, currentRev: number, snapshot: FlowSnapshot, now: Date): Decision {
  if (!action) return show({ kind: 'badAction' });
  // Language and help change nothing in the flow, so even an old card may ask for them.
  if (action.verb === 'language') return { kind: 'language', language: action.language };
  if (action.verb === 'help') return { kind: 'help' };
  if (action.verb === 'refresh') return { kind: 'refresh', caseId: action.case };
  if (action.rev !== currentRev) return show({ kind: 'stale' });
  switch (action.verb) {
    case 'details': {
      const { protocol, version, server, mailbox, errorText, clientHost, next } = action;
      return move({ type: 'SUBMIT_DETAILS', next, fields: { protocol, version, server, mailbox, errorText, clientHost } });
    }
    case 'pick':
      return move({ type: 'PICK', checkpoint: action.checkpoint });
    case 'confirmEscalation':
      return move({ type: 'CONFIRM_ESCALATION', note: action.note });
    case 'paste':
      return pasted(snapshot, action.paste ?? '', now);
    case 'meant': {
      const meaning = parseMeaningName(action.say);
      return meaning ? decideForMeaning(meaning, snapshot) : show({ kind: 'badAction' });
    }
    case 'probe':
      return snapshot.context.details ? { kind: 'probe', target: action.target } : show({ kind: 'needDetails' });
    default: {
      const event = eventFor(action.verb);
      return event ? move(event) : show({ kind: 'badAction' });
    }
  }
}

export function conversationKeyOf(channelId: string, conversationId: string): string {
  return `conversation/${channelId}/${conversationId}`;
}

function replyAddress(inbound: Inbound): ReplyAddress | undefined {
  if (!inbound.serviceUrl) return undefined;
  return {
    channelId: inbound.channelId,
    serviceUrl: inbound.serviceUrl,
    conversationId: inbound.conversationId,
    ...(inbound.tenantId ? { tenantId: inbound.tenantId } : {}),
    ...(inbound.conversationType ? { conversationType: inbound.conversationType } : {}),
  };
}

function requesterOf(inbound: Inbound): Requester {
  return { id: inbound.userId, ...(inbound.userName ? { name: inbound.userName } : {}) };
}

// Racing turns on one conversation replay on top of each other; a short random pause keeps them from
// colliding again in lockstep.
const MAX_ATTEMPTS = 8;
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));

export class ConversationService {
  private readonly reports: ReportDesk;
  /** Absent with INSIGHTS=off: the organisation keeps no counts, so no turn writes, removes or points to a case's facts. */
  private readonly filer: CaseFiler | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly log: Logger,
    private readonly handoff: HandoffPort,
    private readonly understanding: Promise<Understanding>,
    private readonly probe: ProbePort = { targets: [], run: () => Promise.reject(new Error('the live check is off')) },
    insights = true,
  ) {
    this.reports = new ReportDesk(store, () => handoff.helpdeskChannel(), log);
    this.filer = insights ? new CaseFiler(store, log) : undefined;
  }

  async handle(inbound: Inbound): Promise<TurnResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(inbound);
      } catch (error) {
        // Another turn on the same conversation won the race: replay this one on top of it.
        if (error instanceof EtagConflictError && attempt < MAX_ATTEMPTS) {
          await pause(attempt);
          continue;
        }
        if (error instanceof StorageUnavailableError || error instanceof EtagConflictError) {
          this.log.error({ err: error, conversation: inbound.conversationId }, 'conversation store failed during a turn');
          return { cards: [this.apology(inbound)] };
        }
        throw error;
      }
    }
  }

  private async registerChannel(inbound: Inbound): Promise<Notice> {
    if (inbound.conversationType !== 'channel' || !inbound.serviceUrl) return { kind: 'registerOnlyInChannel' };
    const outcome = await this.handoff.registerChannel({
      channelId: inbound.channelId,
      serviceUrl: inbound.serviceUrl,
      conversationId: inbound.conversationId,
      ...(inbound.tenantId ? { tenantId: inbound.tenantId } : {}),
      registeredBy: inbound.userName ?? inbound.userId,
      registeredAt: inbound.now.toISOString(),
    });
    this.log.info({ conversation: inbound.conversationId, outcome }, 'help-desk channel registration');
    const notices: Record<Registration, Notice> = {
      registered: { kind: 'helpdeskRegistered' },
      fixedByConfiguration: { kind: 'helpdeskFixed' },
      otherTenant: { kind: 'helpdeskOtherTenant' },
    };
    return notices[outcome];
  }

  private apology(inbound: Inbound): AdaptiveCard {
    const view = { state: 'gathering' as const, context: initialSnapshot().context, rev: -1, language: resolveLanguage(undefined, inbound.locale) };
    return renderState({ ...view, notice: { kind: 'storageFailed' } });
  }

  /** Reads a document; one that is damaged is set aside for the operator (logged once) and read as absent. */
  private readOrSetAside<T>(key: string, now: Date) {
    return readOrSetAside<T>(this.store, key, now, (damaged) =>
      this.log.error({ key, bytes: damaged.raw.length }, 'a stored document is damaged; kept aside under damaged/ for the operator, starting it afresh'),
    );
  }

  /**
   * Writes the conversation. A store can commit a write and still fail to say so (Blob Storage losing its answer
   * on every retry): before the admin is told that nothing was saved, the record is read back, and if it holds
   * this very delivery the turn counts as kept. The eTag it was kept with, when the store said.
   */
  private async keep(key: string, record: ConversationRecord, etag: string | null, activityId: string | undefined): Promise<string | undefined> {
    try {
      return await this.store.write(key, record, etag);
    } catch (error) {
      if (!(error instanceof StorageUnavailableError) || !activityId) throw error;
      const written = await this.store.read<ConversationRecord>(key).catch(() => undefined);
      const kept = written?.value.rev === record.rev && written.value.seen?.includes(activityId);
      if (!kept) throw error;
      this.log.warn({ conversation: key }, 'the store reported a failed write that had been kept; the turn stands');
      return undefined;
    }
  }

  /** Whether the conversation kept escalation `id`: the outbox asks before it sends what a turn wrote first. */
  async keptEscalation(conversationKey: string, id: string): Promise<boolean> {
    try {
      const stored = await this.store.read<ConversationRecord>(conversationKey);
      return stored !== undefined && restore(stored.value).escalations.includes(id);
    } catch (error) {
      // Unreadable now: sending an escalation nobody may have been told of beats losing one somebody was.
      if (error instanceof DamagedValueError) return true;
      throw error;
    }
  }

  private async attempt(inbound: Inbound): Promise<TurnResult> {
    const userKey = `user/${inbound.channelId}/${inbound.userId}`;
    const conversationKey = conversationKeyOf(inbound.channelId, inbound.conversationId);
    // Side by side: on Blob Storage these are two requests, and neither needs the other.
    const [{ stored: prefs }, { stored, damaged }] = await Promise.all([
      this.readOrSetAside<UserPrefs>(userKey, inbound.now),
      this.readOrSetAside<ConversationRecord>(conversationKey, inbound.now),
    ]);
    const restored = damaged ? restoreDamaged(damaged.raw.toString('utf8')) : restore(stored?.value);
    let language = resolveLanguage(prefs?.value.language, inbound.locale);
    let { snapshot, rev, ticket, escalations } = restored;
    if (inbound.activityId && restored.seen.includes(inbound.activityId)) {
      // The first delivery kept the conversation; if its case's document failed to follow, the retry writes it.
      if (restored.case) await this.filer?.again({ case: restored.case, snapshot, rev, language, tenantId: inbound.tenantId, now: inbound.now, conversationKey });
      const card = renderState({ state: stateName(snapshot), context: snapshot.context, rev, language, ticket });
      return { cards: [card], duplicate: true, state: stateName(snapshot) };
    }
    let notice: Notice | undefined = restored.restarted ? { kind: damaged ? 'unreadable' : 'restarted' } : undefined;
    let changed = restored.restarted;
    const firstContact = !stored && !damaged;

    const action = inbound.kind === 'action' ? parseCardAction(inbound.actionData) : undefined;
    const decided: Decision =
      inbound.kind === 'welcome'
        ? { kind: 'show' }
        : inbound.kind === 'action'
          ? decideForAction(action, rev, snapshot, inbound.now)
          : await decideForText(inbound.text ?? '', snapshot, inbound.now, await this.understanding);
    // A first "hello" gets the welcome, not "I didn't catch that".
    const decision: Decision = firstContact && decided.kind === 'show' ? { kind: 'show' } : decided;

    // What the admin typed on the card (the case form, the escalation note) survives the card's other
    // buttons (language, help, escalate); its own submit button hands it to the flow itself.
    const typed = action && !SUBMITS.includes(action.verb) && action.rev === rev ? typedInputs(inbound.actionData) : undefined;
    const keep: FlowEvent | undefined = typed && { type: 'KEEP_TYPED', ...typed };
    if (keep && accepts(snapshot, keep)) {
      snapshot = nextSnapshot(snapshot, keep);
      rev += 1;
      changed = true;
    }

    const cards: AdaptiveCard[] = [];
    let handoff: HandoffRecord | undefined;
    // The case an escalation belongs to, decided once: one this very turn begins gets a random id, which the
    // case file and the facts kept below must share.
    let escalatedCase: CaseRef | undefined;
    switch (decision.kind) {
      case 'language':
        language = decision.language;
        await this.store.write<UserPrefs>(userKey, { ...prefs?.value, language });
        break;
      case 'help':
        cards.push(renderHelp({ state: stateName(snapshot), context: snapshot.context, rev, language }));
        break;
      case 'show':
        notice = notice ?? decision.notice;
        break;
      case 'registerHelpdesk':
        notice = await this.registerChannel(inbound);
        break;
      case 'refresh': {
        // Only looking: nothing is kept. A case id is no secret (the help-desk channel shows it), so only this
        // conversation's own case is shown, to the admin who escalated it; anyone else sees no case at all.
        const kept = await this.handoff.caseStanding(decision.caseId);
        const own = kept && kept.admin.conversationKey === conversationKey && kept.record.requester.id === inbound.userId ? kept : undefined;
        if (own && stateName(snapshot) === 'escalated' && ticket?.id === decision.caseId) {
          return { cards: [renderState({ state: 'escalated', context: snapshot.context, rev, language, ticket, standing: own })] };
        }
        // An escalated card the conversation has moved on from shows its case's status, not the new screen.
        return { cards: [renderCaseList(own ? [own] : [], language)] };
      }
      case 'report': {
        // The report card is the whole answer: the channel's own case is neither moved nor redrawn.
        if (inbound.activityId && !(await this.reports.firstDelivery(conversationKey, inbound.activityId))) return { cards: [], duplicate: true };
        const answer = await this.reports.answer(inbound, decision.days, language);
        if ('card' in answer) return { cards: [answer.card] };
        notice = answer.notice;
        break;
      }
      case 'probe': {
        // Only endpoints the operator allowed, whatever the button says: card data can be forged.
        if (!this.probe.targets.includes(decision.target) || !snapshot.context.details) {
          notice = { kind: 'badAction' };
          break;
        }
        const diagnosis = await this.probe.run(decision.target, snapshot.context.details.protocol);
        const moved = this.apply(snapshot, { type: 'DIAGNOSED', diagnosis }, inbound, language, ticket);
        if (moved.notice) notice = notice ?? moved.notice;
        if (moved.snapshot !== snapshot) {
          snapshot = moved.snapshot;
          rev += 1;
          changed = true;
        }
        break;
      }
      case 'events': {
        notice = notice ?? decision.notice;
        let opened: EscalationTicket | undefined;
        for (const event of decision.events) {
          const moved = this.apply(snapshot, event, inbound, language, ticket);
          if (moved.notice) notice = notice ?? moved.notice;
          if (moved.snapshot !== snapshot) {
            ({ snapshot, ticket } = moved);
            rev += 1;
            changed = true;
          }
          opened = opened ?? moved.opened;
          if (moved.notice) break;
        }
        if (opened) {
          // The outbox is written before the conversation, so an escalation the admin saw confirmed is never
          // lost; the outbox sends it only once this conversation has kept it (below).
          const claimed = await claimEscalation(this.store, conversationKey, `${restored.epoch}#${restored.rev}`, opened);
          const record = buildHandoff(snapshot.context, claimed);
          const replyTo = replyAddress(inbound);
          const deliveredTo = await this.handoff.enqueue(record, { conversation: conversationKey, replyTo });
          escalatedCase = caseAfter(restored, snapshot, inbound.now);
          const factsKey = this.filer && escalatedCase ? caseFactsKey(escalatedCase.id, escalatedCase.startedAt) : undefined;
          // Before the conversation is kept: the case card's buttons must find the case as soon as it is posted.
          await this.handoff.openCase(record, { conversationKey, ...(replyTo ? { replyTo } : {}), language }, deliveredTo.includes(CHANNEL_TARGET), factsKey);
          ticket = { ...claimed, deliveredTo };
          handoff = { ...record, deliveredTo };
          escalations = [...escalations, claimed.id];
        }
      }
    }
    const seen = inbound.activityId ? [...restored.seen, inbound.activityId] : restored.seen;
    if (changed || firstContact || inbound.activityId) {
      const turnCase = escalatedCase ?? caseAfter(restored, snapshot, inbound.now);
      const filing = this.filer
        ? fileTurn({ before: restored, case: turnCase, snapshot, rev, language, tenantId: inbound.tenantId, now: inbound.now, conversationKey })
        : { ref: turnCase };
      const record = toRecord(snapshot, rev, { ticket, seen, escalations, epoch: restored.epoch, case: filing.ref });
      const etag = await this.keep(conversationKey, record, stored?.etag ?? null, inbound.activityId);
      if (this.filer && (filing.facts || filing.left)) await this.filer.write(filing, conversationKey, record, etag);
    }
    this.log.info(
      { conversation: inbound.conversationId, kind: inbound.kind, decision: decision.kind, state: stateName(snapshot), rev },
      'turn',
    );
    const standing = stateName(snapshot) === 'escalated' && ticket ? await this.handoff.caseStanding(ticket.id) : undefined;
    cards.push(
      renderState({
        ...(standing ? { standing } : {}),
        state: stateName(snapshot),
        context: snapshot.context,
        rev,
        language,
        notice,
        ticket,
        firstContact,
        probeTargets: this.probe.targets,
        requester: requesterOf(inbound),
      }),
    );
    return { cards, state: stateName(snapshot), ...(handoff ? { handoff } : {}) };
  }

  private apply(
    snapshot: FlowSnapshot,
    event: FlowEvent,
    inbound: Inbound,
    language: Language,
    ticket: EscalationTicket | undefined,
  ): { snapshot: FlowSnapshot; ticket?: EscalationTicket; opened?: EscalationTicket; notice?: Notice } {
    if (snapshot.status === 'done') {
      // A finished case only opens again on purpose.
      return event.type === 'START_OVER' ? { snapshot: initialSnapshot() } : { snapshot, ticket, notice: { kind: 'closed' } };
    }
    const next = nextSnapshot(snapshot, event);
    // A snapshot that moved was accepted (test/flow/transitions.test.ts): only one that stayed asks xstate again,
    // whose work is the transition's own once more.
    if (next === snapshot && !snapshot.can(event)) {
      return { snapshot, ticket, notice: { kind: snapshot.context.details ? 'notApplicable' : 'needDetails' } };
    }
    if (stateName(next) === 'escalated') {
      const opened: EscalationTicket = {
        id: newEscalationId(inbound.now),
        createdAt: inbound.now.toISOString(),
        requester: requesterOf(inbound),
        language,
      };
      return { snapshot: next, ticket: opened, opened };
    }
    return { snapshot: next, ticket: stateName(next) === 'gathering' ? undefined : ticket };
  }
}
