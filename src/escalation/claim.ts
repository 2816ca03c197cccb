// One confirmation, one escalation: the first turn to confirm a case at a given revision of its conversation
// (its life and revision number)
// claims the escalation's number, and any other (a second click, a Teams retry on another instance) gets
// that same number instead of opening a second ticket.
import { readOrSetAside } from '../storage/damaged';
import { EtagConflictError, type KeyValueStore } from '../storage/store';
import type { EscalationTicket } from './handoff';

const PREFIX = 'claims/';

export async function claimEscalation(store: KeyValueStore, conversationKey: string, revision: string, proposed: EscalationTicket): Promise<EscalationTicket> {
  const key = `${PREFIX}${conversationKey}#${revision}`;
  try {
    await store.write(key, proposed, null);
    return proposed;
  } catch (error) {
    if (!(error instanceof EtagConflictError)) throw error;
  }
  // Damaged, it is set aside and the turn replays: the next claim then writes afresh.
  const { stored } = await readOrSetAside<EscalationTicket>(store, key, new Date(), () => undefined);
  if (!stored) throw new EtagConflictError(key);
  return stored.value;
}
