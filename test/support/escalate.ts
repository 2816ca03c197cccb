// An admin's case taken to the help desk the short way: the form, the step that fails, Escalate, confirm.
import type { TeamsUser } from './bot';
import { type Card, title } from './cards';

export const DETAILS = { protocol: 'imap4', version: '2019', server: 'EX02', mailbox: 'jiro@contoso.com', errorText: 'NO LOGIN failed.' };

/** Returns the card that confirms the escalation. */
export async function escalate(user: TeamsUser, note = 'Started after the certificate renewal'): Promise<Card> {
  await user.joins();
  await user.click('details', { next: 'pick' }, { ...DETAILS, clientHost: 'mail.contoso.com' });
  await user.click('pick', { checkpoint: 'serverSettings' });
  await user.click('escalate');
  return user.click('confirmEscalation', {}, { note });
}

export function escalationId(card: Card): string {
  return /ESC-\d{8}-[0-9A-Z]{6}/.exec(title(card))![0];
}
