// What a case button sends back (the help desk's card in the channel, the admin's messages about their case),
// checked at the edge. The typed values are cut to a little over their limit, so a forged click costs nothing,
// and the desk then says which one is too long (typedValue).
import { z } from 'zod';
import { ESCALATION_ID } from '../escalation/handoff';
import { maskSecrets, readable } from '../flow/secrets';
import { FIELD_LIMITS, type TypedField } from '../rendering/caseCards';
import type { Meaning, Understanding } from '../understanding';
import type { Inbound } from './turn';

const typed = (limit: number) =>
  z
    .string()
    .transform((value) => value.slice(0, readable(limit)))
    .optional();

const ref = { case: z.string().regex(new RegExp(`^${ESCALATION_ID.source}$`)), rev: z.coerce.number().int().min(0).optional() };

export const HELPDESK_VERBS = ['caseTake', 'caseTakeOver', 'caseAsk', 'caseMicrosoft', 'caseResolve', 'caseReopen', 'caseRefresh'] as const;
export const ADMIN_VERBS = ['caseAnswer', 'caseFixed', 'caseNotFixed', 'caseList'] as const;
const CASE_VERBS: readonly string[] = [...HELPDESK_VERBS, ...ADMIN_VERBS];

// The question or resolution an admin's button was drawn for (aboutText in src/casework/messages.ts).
const about = { about: z.string().max(16).optional() };

const caseActionSchema = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('caseTake'), ...ref }),
  z.object({ verb: z.literal('caseTakeOver'), ...ref }),
  z.object({ verb: z.literal('caseAsk'), ...ref, question: typed(FIELD_LIMITS.question) }),
  z.object({ verb: z.literal('caseMicrosoft'), ...ref, serviceRequest: typed(FIELD_LIMITS.serviceRequest) }),
  z.object({ verb: z.literal('caseResolve'), ...ref, resolution: typed(FIELD_LIMITS.resolution) }),
  z.object({ verb: z.literal('caseReopen'), ...ref }),
  z.object({ verb: z.literal('caseRefresh'), ...ref }),
  z.object({ verb: z.literal('caseAnswer'), ...ref, ...about, answer: typed(FIELD_LIMITS.answer) }),
  z.object({ verb: z.literal('caseFixed'), ...ref, ...about }),
  z.object({ verb: z.literal('caseNotFixed'), ...ref, ...about, reason: typed(FIELD_LIMITS.reason) }),
  z.object({ verb: z.literal('caseList') }),
]);

export type CaseAction = z.infer<typeof caseActionSchema>;
export type HelpdeskAction = Extract<CaseAction, { verb: (typeof HELPDESK_VERBS)[number] }>;
export type AdminAction = Extract<CaseAction, { verb: (typeof ADMIN_VERBS)[number] }>;

/** Whether a click is about a case at all (then it is the case desks' to answer, even when its data is bad). */
export function isCaseVerb(data: unknown): boolean {
  const verb = (data as { verb?: unknown } | null)?.verb;
  return typeof verb === 'string' && CASE_VERBS.includes(verb);
}

export function parseCaseAction(data: unknown): CaseAction | undefined {
  const parsed = caseActionSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

export function isHelpdeskAction(action: CaseAction): action is HelpdeskAction {
  return (HELPDESK_VERBS as readonly string[]).includes(action.verb);
}

/** Why a typed value cannot be taken: the shape every case notice shares. */
export type Refusal<F extends TypedField> = { kind: 'missing'; field: F } | { kind: 'tooLong'; field: F; limit: number };

/** A typed value as the case keeps it: trimmed, secrets masked; or why it cannot be taken. */
export function typedValue<F extends TypedField>(field: F, value: string | undefined): { text: string } | { refusal: Refusal<F> } {
  const text = maskSecrets((value ?? '').trim()).text;
  if (text === '') return { refusal: { kind: 'missing', field } };
  if (text.length > FIELD_LIMITS[field]) return { refusal: { kind: 'tooLong', field, limit: FIELD_LIMITS[field] } };
  return { text };
}

/**
 * Commands are short: a sentence that merely sounds like one ("could you help me find the log?") is said on.
 * Japanese has no spaces, so the length counts too.
 */
const COMMAND_WORDS = 3;
const COMMAND_CHARACTERS = 24;

/**
 * Whether a text is meant for the bot rather than for the other party: one of `commands`, typed as the bot was
 * taught it or as a short ask. Anything else, "yes", "no" and "still fails" included, is said to the other party.
 */
export async function isCommand(understanding: Promise<Understanding>, text: string, commands: ReadonlySet<Meaning['label']>): Promise<boolean> {
  const reading = await (await understanding).read(text);
  if (reading.kind !== 'sure' || !commands.has(reading.meaning.label)) return false;
  const typed = text.trim();
  return reading.exact || (typed.split(/\s+/u).length <= COMMAND_WORDS && typed.length <= COMMAND_CHARACTERS);
}

/**
 * The id a case remembers a turn by, so a retried delivery changes nothing. Teams numbers activities per
 * conversation: the admin's chat and the help desk's channel can send the same id, and both count.
 */
export function seenOf(inbound: Inbound): { seenId?: string } {
  return inbound.activityId ? { seenId: `${inbound.conversationId}#${inbound.activityId}` } : {};
}
