// Where each inbound turn goes: a case button to the desk of the party it belongs to, a message in a case's
// thread of the help-desk channel to the help desk's desk, an admin's answer or "status" to the admin's desk
// (an admin may escalate from a channel too), and everything else to the troubleshooting conversation.
import { resolveLanguage } from '../i18n';
import { renderHelpdeskNotice } from '../rendering/caseCards';
import type { AdminDesk } from './adminDesk';
import { isCaseVerb, isHelpdeskAction, parseCaseAction } from './caseAction';
import type { HelpdeskDesk } from './helpdeskDesk';
import type { ConversationService, Inbound, TurnResult } from './turn';

export interface TurnHandler {
  handle(inbound: Inbound): Promise<TurnResult>;
}

export class Front implements TurnHandler {
  constructor(
    private readonly conversation: ConversationService,
    private readonly helpdesk: HelpdeskDesk,
    private readonly admin: AdminDesk,
  ) {}

  async handle(inbound: Inbound): Promise<TurnResult> {
    if (inbound.kind === 'action' && isCaseVerb(inbound.actionData)) {
      const action = parseCaseAction(inbound.actionData);
      if (!action) return { cards: [renderHelpdeskNotice({ kind: 'badAction' }, resolveLanguage(undefined, inbound.locale))] };
      return isHelpdeskAction(action) ? this.helpdesk.click(inbound, action) : this.admin.click(inbound, action);
    }
    if (inbound.kind === 'text') {
      const answered = (await this.helpdesk.threadMessage(inbound)) ?? (await this.admin.typed(inbound));
      if (answered) return answered;
    }
    return this.conversation.handle(inbound);
  }
}
