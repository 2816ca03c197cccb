// The handoff record: everything the help desk and Microsoft support need to pick the case up
// without asking the admin again. Built from the conversation's state; nothing here talks to anyone.
import { randomBytes } from 'node:crypto';
import { clientSettings, remedy, stepGuide } from '../content/catalog';
import type { CommandBlock } from '../content/types';
import type { EscalationReason, FlowContext, JournalEntry } from '../flow/machine';
import type { CaseDetails, CheckpointId } from '../flow/types';
import type { Language } from '../i18n';

export interface Requester {
  id: string;
  name?: string;
}

/** What the conversation keeps once the admin confirms: the rest is derived again when needed. */
export interface EscalationTicket {
  id: string;
  createdAt: string;
  requester: Requester;
  language: Language;
  /** The help-desk targets it was queued for; empty when none is set up and the admin must pass it on. */
  deliveredTo?: string[];
}

export interface HandedBackCommands {
  checkpoint: CheckpointId;
  lines: string[];
}

export interface HandoffRecord extends EscalationTicket {
  reason: EscalationReason;
  details?: CaseDetails;
  journal: JournalEntry[];
  failedCheckpoint?: CheckpointId;
  commands: HandedBackCommands[];
  note?: string;
}

// Crockford's alphabet: no I, L, O or U, so a number read over the phone is not misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newEscalationId(now: Date, random: (size: number) => Buffer = randomBytes): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const suffix = [...random(6)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
  return `ESC-${day}-${suffix}`;
}

/** The checkpoint the admin last saw fail: a step marked failed, or a remedy that did not help. */
export function failedCheckpoint(journal: JournalEntry[]): CheckpointId | undefined {
  for (let i = journal.length - 1; i >= 0; i--) {
    const entry = journal[i];
    if (entry && (entry.outcome === 'failed' || entry.outcome === 'remedyTried')) return entry.checkpoint;
  }
  return undefined;
}

function lines(...blocks: CommandBlock[]): string[] {
  return blocks.flatMap((block) => block.lines);
}

/** The commands the bot showed for each checkpoint the admin went through, in the order they were shown. */
export function commandsHandedBack(details: CaseDetails | undefined, journal: JournalEntry[]): HandedBackCommands[] {
  if (!details) return [];
  const seen: CheckpointId[] = [];
  for (const entry of journal) if (!seen.includes(entry.checkpoint)) seen.push(entry.checkpoint);
  return seen.map((checkpoint) => {
    const shown =
      checkpoint === 'clientSettings'
        ? [clientSettings(details).check]
        : (() => {
            const guide = stepGuide(checkpoint, details);
            return [guide.check, guide.fix, guide.verify];
          })();
    const remedyShown = journal.some((e) => e.checkpoint === checkpoint && (e.outcome === 'failed' || e.outcome === 'remedyTried'));
    const fromRemedy = remedyShown ? [remedy(checkpoint, details).diagnose] : [];
    return { checkpoint, lines: [...new Set(lines(...shown, ...fromRemedy))] };
  });
}

export function buildHandoff(context: FlowContext, ticket: EscalationTicket): HandoffRecord {
  return {
    ...ticket,
    reason: context.escalationReason ?? 'asked',
    details: context.details,
    journal: context.journal,
    failedCheckpoint: failedCheckpoint(context.journal),
    commands: commandsHandedBack(context.details, context.journal),
    note: context.note,
  };
}
