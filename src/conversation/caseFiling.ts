// When a turn writes its case's document for the help-desk lead's report. Most turns write none: a case's
// progress through the steps is in the conversation, which the turn writes anyway and where the report reads it
// (caseProgress). The document is written when the case begins, so the report finds it under the day it started;
// when it ends, solved or escalated, before the admin sees the answer, since the help desk's take adds to it; and
// when "start over" leaves it, as it was left. The conversation notes what was written (`CaseRef.filed`); a write
// that failed is noted as not made, so the case's next turn makes it again (if that note fails too, or the bot
// dies between the two writes, the case's outcome or its leaving writes it).
import type { Language } from '../i18n';
import type { CaseFacts } from '../insights/caseFacts';
import type { Logger } from '../logging';
import type { KeyValueStore } from '../storage/store';
import { factsOfTurn, keepCaseFacts, leaveCase } from './caseKeeping';
import type { CaseRef, ConversationRecord, Filed, FlowSnapshot } from './record';

export interface FilingTurn {
  /** The conversation as the turn found it. */
  before: { case?: CaseRef; snapshot: FlowSnapshot; rev: number };
  /** The turn's case (caseAfter), and the flow as the turn leaves it. */
  case: CaseRef | undefined;
  snapshot: FlowSnapshot;
  rev: number;
  language: Language;
  tenantId?: string;
  now: Date;
  conversationKey: string;
}

export interface Filing {
  /** The case as the conversation keeps it after the turn. */
  ref: CaseRef | undefined;
  /** The case's document to write, if the turn began or ended the case (or its earlier write failed). */
  facts?: CaseFacts;
  /** The case as the conversation keeps it should that write fail: noting it as not made. */
  unfiled?: CaseRef;
  /** The case "start over" left, as it was left. */
  left?: CaseFacts;
}

const filedAs = (snapshot: FlowSnapshot): Filed => (snapshot.status === 'done' ? 'final' : 'open');

/** When the case's flow last moved, as its ref keeps it: the time its facts are dated by (`fallback` if unreadable). */
export function lastMoved(ref: CaseRef, fallback: Date): Date {
  const at = ref.at === undefined ? Number.NaN : Date.parse(ref.at);
  return Number.isNaN(at) ? fallback : new Date(at);
}

/** The case's facts as its document takes them: an open case points to the conversation that holds its progress. */
function factsToFile(turn: Omit<FilingTurn, 'before'> & { case: CaseRef }): CaseFacts {
  const facts = factsOfTurn({ ...turn, now: lastMoved(turn.case, turn.now) });
  if (facts.outcome === 'open') facts.conversation = turn.conversationKey;
  return facts;
}

/** What the turn keeps of its case in the conversation, and which documents it writes. Runs on every turn: cheap. */
export function fileTurn(turn: FilingTurn): Filing {
  const filing: Filing = { ref: undefined };
  const current = turn.case;
  if (current) {
    const filed = filedAs(turn.snapshot);
    // Dated by the flow's last move, not by every turn: help, a language or an unread text leave an idle case idle,
    // and an ended case keeps the time it ended.
    const moved = current.at === undefined || turn.rev !== turn.before.rev || current.id !== turn.before.case?.id;
    filing.ref = { id: current.id, startedAt: current.startedAt, at: moved ? turn.now.toISOString() : current.at!, language: turn.language, filed };
    if (current.filed !== filed) {
      filing.facts = factsToFile({ ...turn, case: filing.ref });
      const { filed: _written, ...unwritten } = filing.ref;
      filing.unfiled = current.filed ? { ...unwritten, filed: current.filed } : unwritten;
    }
  }
  // Written even when the turns before say it ended: that write may have been lost to a crash or a failed note.
  // Where it was not, the document holds this revision already, and only a read is spent.
  const left = turn.before.case;
  if (left && left.id !== current?.id) {
    const when = lastMoved(left, turn.now);
    filing.left = factsOfTurn({ case: left, snapshot: turn.before.snapshot, rev: turn.before.rev, language: left.language ?? turn.language, tenantId: turn.tenantId, now: when });
  }
  return filing;
}

/** Writes a turn's case documents once the conversation is kept. */
export class CaseFiler {
  constructor(
    private readonly store: KeyValueStore,
    private readonly log: Logger,
  ) {}

  /**
   * Writes what `filing` asks. A case's own write that fails takes back the conversation's note of it (the record
   * just kept, under the eTag it was kept with), so the case's next turn writes it again.
   */
  async write(filing: Filing, conversationKey: string, record: ConversationRecord, etag: string | undefined): Promise<void> {
    if (filing.left) await leaveCase(this.store, this.log, filing.left);
    // Nothing of the case written before: its first write.
    const first = filing.unfiled?.filed === undefined;
    if (!filing.facts || (await keepCaseFacts(this.store, this.log, filing.facts, first))) return;
    if (etag === undefined) return;
    try {
      await this.store.write<ConversationRecord>(conversationKey, { ...record, case: filing.unfiled }, etag);
    } catch (error) {
      // The case's document stays unwritten until its next outcome or a Teams retry of this turn.
      this.log.warn({ err: error, conversation: conversationKey }, "a case's unwritten document could not be noted in its conversation");
    }
  }

  /** A Teams retry of a turn already kept writes the case's document its first delivery failed to write. */
  async again(turn: Omit<FilingTurn, 'before'> & { case: CaseRef }): Promise<void> {
    if (turn.case.filed !== filedAs(turn.snapshot)) await keepCaseFacts(this.store, this.log, factsToFile(turn));
  }
}
