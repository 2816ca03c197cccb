// The help desk's side of a case: the buttons on the case card in the help-desk channel, and what a member
// writes in the case's thread (relayed to the admin as a question). Only the registered help-desk channel, or
// the channel a case's card was posted in, may act; the card a member gets back is the case as it now stands,
// and the courier redraws it for everyone.
import type { CaseEvent, Member } from '../casework/machine';
import type { Applied, CaseFile, Casework } from '../escalation/caseFile';
import type { HelpdeskAddress } from '../escalation/helpdesk';
import type { Language } from '../i18n';
import type { Logger } from '../logging';
import { type CaseNotice, type HelpdeskNotice, renderCaseCard, renderHelpdeskNotice } from '../rendering/caseCards';
import type { Meaning, Understanding } from '../understanding';
import { type HelpdeskAction, isCommand, seenOf, typedValue } from './caseAction';
import { inCaseThread, isHelpdeskChannel, mayWorkCase, threadOf } from './helpdeskMembers';
import type { Inbound, TurnResult } from './turn';

// What a help-desk member asks the bot for in a case's thread (help, the lead's report, moving the help desk,
// the language) is the bot's to answer, not a question for the admin.
const HELPDESK_COMMANDS: ReadonlySet<Meaning['label']> = new Set(['help', 'report', 'registerHelpdesk', 'language']);

function memberOf(inbound: Inbound): Member {
  return { id: inbound.userId, ...(inbound.userName ? { name: inbound.userName } : {}) };
}

export class HelpdeskDesk {
  constructor(
    private readonly casework: Casework,
    private readonly helpdesk: () => Promise<HelpdeskAddress | undefined>,
    private readonly understanding: Promise<Understanding>,
    private readonly language: Language,
    private readonly log: Logger,
  ) {}

  async click(inbound: Inbound, action: HelpdeskAction): Promise<TurnResult> {
    const stored = await this.casework.read(action.case);
    if (!mayWorkCase(inbound, await this.helpdesk(), stored?.value.post)) {
      this.log.warn({ conversation: inbound.conversationId, verb: action.verb }, 'a case button was clicked outside the help-desk channel');
      return this.notice({ kind: 'notHelpdesk' });
    }
    if (!stored) return this.notice({ kind: 'unknownCase' });
    const by = memberOf(inbound);
    const at = inbound.now.toISOString();
    let event: CaseEvent;
    switch (action.verb) {
      case 'caseRefresh':
        return this.card(stored.value);
      case 'caseTake':
        event = { type: 'TAKE', by, at };
        break;
      case 'caseTakeOver':
        event = { type: 'TAKE_OVER', by, at };
        break;
      case 'caseReopen':
        event = { type: 'REOPEN', by, at };
        break;
      case 'caseAsk': {
        const typed = typedValue('question', action.question);
        if ('refusal' in typed) return this.card(stored.value, typed.refusal);
        event = { type: 'ASK', by, text: typed.text, at };
        break;
      }
      case 'caseMicrosoft': {
        const typed = typedValue('serviceRequest', action.serviceRequest);
        if ('refusal' in typed) return this.card(stored.value, typed.refusal);
        event = { type: 'WITH_MICROSOFT', by, serviceRequest: typed.text, at };
        break;
      }
      case 'caseResolve': {
        const typed = typedValue('resolution', action.resolution);
        if ('refusal' in typed) return this.card(stored.value, typed.refusal);
        event = { type: 'RESOLVE', by, note: typed.text, at };
        break;
      }
    }
    const applied = await this.casework.apply(action.case, { event, ...seenOf(inbound), ...(action.rev !== undefined ? { rev: action.rev } : {}) });
    this.log.info({ escalation: action.case, verb: action.verb, outcome: applied.outcome }, 'help-desk action on a case');
    return this.answer(applied, by, action.rev);
  }

  /**
   * A member's message in a case's thread goes to the admin as the help desk's question. `undefined` when the
   * message is not in a case's thread, or is one of the bot's own commands: then it is an ordinary message to the bot.
   */
  async threadMessage(inbound: Inbound): Promise<TurnResult | undefined> {
    const root = threadOf(inbound.conversationId);
    const id = root && (await this.casework.caseOfThread(root));
    if (!id) return undefined;
    const helpdesk = await this.helpdesk();
    const stored = await this.casework.read(id);
    if (!stored) return isHelpdeskChannel(inbound, helpdesk) ? this.notice({ kind: 'unknownCase' }) : undefined;
    // A card whose post is not recorded yet was just posted in the help-desk channel: its index led here.
    const { post } = stored.value;
    if (!mayWorkCase(inbound, helpdesk, post) || (post && !inCaseThread(inbound, post))) return undefined;
    if (await isCommand(this.understanding, inbound.text ?? '', HELPDESK_COMMANDS)) return undefined;
    const typed = typedValue('question', inbound.text);
    if ('refusal' in typed) return this.notice(typed.refusal);
    const by = memberOf(inbound);
    const applied = await this.casework.apply(id, { event: { type: 'ASK', by, text: typed.text, at: inbound.now.toISOString() }, ...seenOf(inbound) });
    this.log.info({ escalation: id, outcome: applied.outcome }, 'help-desk message to the admin');
    if (applied.outcome === 'duplicate') return { cards: [], duplicate: true };
    if (applied.outcome === 'applied') return this.notice({ kind: 'relayed', to: applied.file.record.requester });
    return this.answer(applied, by);
  }

  /** The card the member sees after their click: the case as it stands, with why nothing changed if nothing did. */
  private answer(applied: Applied, by: Member, rev?: number): TurnResult {
    if (applied.outcome === 'unknown') return this.notice({ kind: 'unknownCase' });
    const { file } = applied;
    if (applied.outcome !== 'refused') return this.card(file);
    const owner = file.context.owner;
    if (owner && owner.id !== by.id && file.status !== 'resolved' && file.status !== 'closed') return this.card(file, { kind: 'takenBy', owner });
    if (rev !== undefined && rev !== file.rev) return this.card(file, { kind: 'stale' });
    return this.card(file, { kind: 'notNow' });
  }

  private card(file: CaseFile, notice?: CaseNotice): TurnResult {
    return { cards: [renderCaseCard(file, this.language, notice)] };
  }

  private notice(notice: HelpdeskNotice): TurnResult {
    return { cards: [renderHelpdeskNotice(notice, this.language)] };
  }
}
