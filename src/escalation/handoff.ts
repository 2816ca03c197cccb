// The handoff record: everything the help desk and Microsoft support need to pick the case up
// without asking the admin again. Built from the conversation's state; nothing here talks to anyone.
import { randomBytes } from 'node:crypto';
import { clientSettings, remedy, stepGuide, supportRoute } from '../content/catalog';
import type { CommandBlock } from '../content/types';
import { type CommandScreen, type EscalationReason, type FlowContext, type JournalEntry, screenKey } from '../flow/machine';
import { type CaseDetails, type CheckpointId, checkpointsFor, stepsFor } from '../flow/types';
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

/** The screen the admin was on when they asked to escalate; for a step, which of how many. */
export type StoppedAt = CommandScreen & { stepNumber?: number; stepCount?: number };

export interface HandoffRecord extends EscalationTicket {
  reason: EscalationReason;
  details?: CaseDetails;
  journal: JournalEntry[];
  failedCheckpoint?: CheckpointId;
  stoppedAt?: StoppedAt;
  commands: HandedBackCommands[];
  /** The collection commands of "check my settings", when the admin opened it. */
  checkCommands?: string[];
  note?: string;
}

// Crockford's alphabet: no I, L, O or U, so a number read over the phone is not misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An escalation number as newEscalationId writes it, wherever one has to be found in text. */
export const ESCALATION_ID = /ESC-\d{8}-[0-9A-Z]{6}/;

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

/**
 * Every screen with commands the admin saw, first seen first. A conversation begun before the flow
 * kept them has only its journal to go by: a step checked means its guide, one failed its fixes.
 */
function screensSeen(context: FlowContext): CommandScreen[] {
  const fromJournal = context.journal.map(
    (entry): CommandScreen => ({ screen: entry.outcome === 'failed' || entry.outcome === 'remedyTried' ? 'remedy' : 'guide', checkpoint: entry.checkpoint }),
  );
  const all = [...(context.shown ?? []), ...fromJournal, ...(context.escalatedFrom ? [context.escalatedFrom] : [])];
  return [...new Map(all.map((screen) => [screenKey(screen), screen])).values()];
}

/** The commands one screen shows, as src/rendering/screens.ts draws it. */
function commandsOn(screen: { screen: 'guide' | 'remedy'; checkpoint: CheckpointId }, details: CaseDetails): string[] {
  const { checkpoint } = screen;
  if (screen.screen === 'remedy') {
    const fix = remedy(checkpoint, details);
    return lines(fix.diagnose, ...fix.causes.map((cause) => cause.fix), fix.verify);
  }
  if (checkpoint === 'clientSettings') return lines(clientSettings(details).check);
  const guide = stepGuide(checkpoint, details);
  return lines(guide.check, guide.fix, guide.verify);
}

/** The commands the bot showed for each checkpoint, guide and fixes together, in the order they were shown. */
export function commandsHandedBack(details: CaseDetails | undefined, screens: CommandScreen[]): HandedBackCommands[] {
  if (!details) return [];
  const applicable = checkpointsFor(details.version);
  const byCheckpoint = new Map<CheckpointId, string[]>();
  for (const screen of screens) {
    // A screen of a version the admin has since changed away from shows nothing of this case.
    if (screen.screen === 'check' || !applicable.includes(screen.checkpoint)) continue;
    byCheckpoint.set(screen.checkpoint, [...(byCheckpoint.get(screen.checkpoint) ?? []), ...commandsOn(screen, details)]);
  }
  return [...byCheckpoint].map(([checkpoint, shown]) => ({ checkpoint, lines: [...new Set(shown)] }));
}

function stoppedAt(context: FlowContext): StoppedAt | undefined {
  const from = context.escalatedFrom;
  if (from?.screen !== 'guide' || from.checkpoint === 'clientSettings') return from;
  const steps = stepsFor(context.details?.version);
  return { ...from, stepNumber: steps.indexOf(from.checkpoint) + 1, stepCount: steps.length };
}

export function buildHandoff(context: FlowContext, ticket: EscalationTicket): HandoffRecord {
  const screens = screensSeen(context);
  return {
    ...ticket,
    reason: context.escalationReason ?? 'asked',
    details: context.details,
    journal: context.journal,
    failedCheckpoint: failedCheckpoint(context.journal),
    stoppedAt: stoppedAt(context),
    commands: commandsHandedBack(context.details, screens),
    ...(context.details && screens.some((screen) => screen.screen === 'check')
      ? { checkCommands: supportRoute(context.details.version, context.details).collect.lines }
      : {}),
    note: context.note,
  };
}
