// The admin's side of a case after it is escalated: their answers to the help desk's questions (typed, or
// on the question's card), "did this fix it?", and "status" / 「状況」, the list of their cases. Only the admin
// who escalated answers for their case, even in a group chat or a channel. What they type goes to the help
// desk only while the case's escalated card is the last thing they did with the bot and its question is open,
// and never when it is one of the bot's own commands, so the troubleshooting flow keeps working.
import type { CaseEvent } from '../casework/machine';
import { aboutText } from '../casework/messages';
import type { CaseFile, Casework } from '../escalation/caseFile';
import { type Language, resolveLanguage, translatorFor } from '../i18n';
import type { Logger } from '../logging';
import { type AdminCaseNotice, renderAdminMessage, renderAdminNotice, renderCaseList } from '../rendering/caseCards';
import { DamagedValueError, type KeyValueStore } from '../storage/store';
import { type Meaning, type Understanding, fold } from '../understanding';
import { type AdminAction, isCommand, seenOf, typedValue } from './caseAction';
import type { ConversationRecord, UserPrefs } from './record';
import { type Inbound, type TurnResult, conversationKeyOf } from './turn';

/** The cases "status" lists: the newest few a conversation escalated. */
const LISTED = 10;

// A clear ask for help, another language or a fresh start leaves the talk with the help desk.
const WAYS_OUT: ReadonlySet<Meaning['label']> = new Set(['help', 'language', 'startOver']);

/** "status", 「状況」 and their few usual forms, as each locale lists them. */
function statusWords(language: Language): string[] {
  return (translatorFor(language)('case.statusWords', { returnObjects: true }) as string[]).map(fold);
}
const STATUS_WORDS = new Set([...statusWords('en'), ...statusWords('ja')]);
/** Whether a typed text asks for the admin's list of cases (read before anything else the bot understands). */
export const isStatusAsk = (text: string) => STATUS_WORDS.has(fold(text).replace(/[?？!！。.]+$/u, ''));

export class AdminDesk {
  constructor(
    private readonly store: KeyValueStore,
    private readonly casework: Casework,
    private readonly understanding: Promise<Understanding>,
    private readonly log: Logger,
  ) {}

  async click(inbound: Inbound, action: AdminAction): Promise<TurnResult> {
    const language = await this.languageOf(inbound);
    if (action.verb === 'caseList') return this.list(inbound, language);
    const stored = await this.casework.read(action.case);
    // Another conversation learns nothing of the case; another person in the admin's own one is told whose it is.
    if (!stored || stored.value.admin.conversationKey !== conversationKeyOf(inbound.channelId, inbound.conversationId)) {
      return this.notice({ kind: 'unknownCase' }, undefined, language);
    }
    const file = stored.value;
    if (!isRequester(inbound, file)) return this.notice({ kind: 'notYours', requester: file.record.requester }, file, language);
    // Drawn for an earlier question or resolution than the case's own now: the admin gets the current one to act on.
    const current = file.status === 'waitingForAdmin' ? file.context.question?.text : file.status === 'resolved' ? file.context.resolution?.note : undefined;
    if (action.about !== undefined && current !== undefined && action.about !== aboutText(current)) return this.current(file, language);
    let event: CaseEvent;
    switch (action.verb) {
      case 'caseFixed':
        event = { type: 'FIXED' };
        break;
      case 'caseAnswer': {
        const typed = typedValue('answer', action.answer);
        if ('refusal' in typed) return this.notice(typed.refusal, file, language);
        event = { type: 'ANSWER', text: typed.text };
        break;
      }
      case 'caseNotFixed': {
        const typed = typedValue('reason', action.reason);
        if ('refusal' in typed) return this.notice(typed.refusal, file, language);
        event = { type: 'NOT_FIXED', reason: typed.text };
        break;
      }
    }
    return this.apply(inbound, file, event, language);
  }

  /**
   * What the admin typed, if it is about their cases: "status", or the answer to the open question of the case
   * they escalated last. `undefined` hands the text to the troubleshooting flow.
   */
  async typed(inbound: Inbound): Promise<TurnResult | undefined> {
    const text = inbound.text ?? '';
    if (isStatusAsk(text)) return this.list(inbound, await this.languageOf(inbound));
    const onScreen = await this.caseOnScreen(inbound);
    if (!onScreen) return undefined;
    // Teams delivering an answer again once it was relayed: the question is closed by then, but the text is
    // still that answer, not something new for the troubleshooting flow to reply to.
    const { seenId } = seenOf(inbound);
    if (seenId && onScreen.seen.includes(seenId)) return { cards: [], duplicate: true };
    if (onScreen.status !== 'waitingForAdmin' || (await isCommand(this.understanding, text, WAYS_OUT))) return undefined;
    const language = await this.languageOf(inbound);
    const typed = typedValue('answer', text);
    if ('refusal' in typed) return this.notice(typed.refusal, onScreen, language);
    return this.apply(inbound, onScreen, { type: 'ANSWER', text: typed.text }, language);
  }

  /**
   * The case a typed answer can be for: the one whose escalated card is still the conversation's screen, when
   * this is the admin who escalated it. Once they start over, typing is the flow's again, and the question's
   * card answers for any of their cases.
   */
  private async caseOnScreen(inbound: Inbound): Promise<CaseFile | undefined> {
    const key = conversationKeyOf(inbound.channelId, inbound.conversationId);
    const record = await this.read<ConversationRecord>(key);
    if (record?.state !== 'escalated' || !record.ticket) return undefined;
    const file = (await this.casework.read(record.ticket.id))?.value;
    return file && file.admin.conversationKey === key && isRequester(inbound, file) ? file : undefined;
  }

  private async apply(inbound: Inbound, file: CaseFile, event: CaseEvent, language: Language): Promise<TurnResult> {
    const applied = await this.casework.apply(file.id, { event, ...seenOf(inbound) });
    this.log.info({ escalation: file.id, event: event.type, outcome: applied.outcome }, 'admin action on a case');
    switch (applied.outcome) {
      case 'unknown':
        return this.notice({ kind: 'unknownCase' }, undefined, language);
      case 'refused':
        return this.notice({ kind: 'notNow' }, applied.file, language);
      case 'duplicate':
      case 'applied': {
        const notices: Partial<Record<CaseEvent['type'], AdminCaseNotice>> = {
          ANSWER: { kind: 'relayed', ...(applied.file.context.owner ? { to: applied.file.context.owner } : {}) },
          FIXED: { kind: 'thanksFixed' },
          NOT_FIXED: { kind: 'reopened' },
        };
        const answer = this.notice(notices[event.type] ?? { kind: 'notNow' }, applied.file, language);
        // A click Teams delivers again still needs a card to show (it shows whichever answer it waited for);
        // a message delivered again is not answered twice.
        return applied.outcome === 'duplicate' ? { ...answer, duplicate: true } : answer;
      }
    }
  }

  /** The question the help desk now waits on, or the resolution it now asks about, as a card to act on. */
  private current(file: CaseFile, language: Language): TurnResult {
    const { question, resolution } = file.context;
    const message =
      file.status === 'waitingForAdmin' && question
        ? ({ to: 'admin', kind: 'question', by: question.by, text: question.text } as const)
        : ({ to: 'admin', kind: 'resolved', by: resolution!.by, note: resolution!.note } as const);
    return { cards: [renderAdminMessage(message, file, language)] };
  }

  private async list(inbound: Inbound, language: Language): Promise<TurnResult> {
    const files = await this.cases(inbound);
    return { cards: [renderCaseList(files, language)] };
  }

  /** The conversation's cases, newest first. */
  private async cases(inbound: Inbound): Promise<CaseFile[]> {
    const key = conversationKeyOf(inbound.channelId, inbound.conversationId);
    const record = await this.read<ConversationRecord>(key);
    const ids = (record?.escalations ?? []).slice(-LISTED).reverse();
    const files = await Promise.all(ids.map((id) => this.casework.read(id)));
    return files.flatMap((stored) => (stored ? [stored.value] : []));
  }

  private async languageOf(inbound: Inbound): Promise<Language> {
    const prefs = await this.read<UserPrefs>(`user/${inbound.channelId}/${inbound.userId}`);
    return resolveLanguage(prefs?.language, inbound.locale);
  }

  /** A damaged document reads as absent here, and is left where it is: the flow's own turn sets it aside and says so. */
  private async read<T>(key: string): Promise<T | undefined> {
    try {
      return (await this.store.read<T>(key))?.value;
    } catch (error) {
      if (error instanceof DamagedValueError) return undefined;
      throw error;
    }
  }

  private notice(notice: AdminCaseNotice, file: CaseFile | undefined, language: Language): TurnResult {
    return { cards: [renderAdminNotice(notice, file, language)] };
  }
}

/** Whether the person typing or clicking is the admin who escalated the case. */
function isRequester(inbound: Inbound, file: CaseFile): boolean {
  return inbound.userId === file.record.requester.id;
}
