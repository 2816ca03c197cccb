// What a card button sends back, checked at the edge: anything else is answered, never trusted.
import { z } from 'zod';
import { ESCALATION_ID } from '../escalation/handoff';
import { LIMITS } from '../flow/details';
import { PASTE_LIMIT } from '../flow/diagnosis';
import { NOTE_LIMIT } from '../flow/machine';
import { readable } from '../flow/secrets';
import { CHECKPOINTS } from '../flow/types';
import { LANGUAGES } from '../i18n';

// Each typed field is cut here to what the flow reads of it (its limit and some context for masking), so
// no request costs more than that whatever it carries; the flow then says which field is too long.
const field = (limit: number) =>
  z
    .string()
    .transform((value) => value.slice(0, readable(limit)))
    .optional();

// The case form's inputs, which Teams sends with every button of the form's card.
const formSchema = z.object({
  protocol: field(LIMITS.protocol),
  version: field(LIMITS.version),
  server: field(LIMITS.server),
  mailbox: field(LIMITS.mailbox),
  errorText: field(LIMITS.errorText),
  clientHost: field(LIMITS.clientHost),
});

export const cardActionSchema = z.discriminatedUnion('verb', [
  formSchema.extend({ verb: z.literal('details'), next: z.enum(['walk', 'pick', 'check']) }),
  z.object({ verb: z.literal('pick'), checkpoint: z.enum(CHECKPOINTS) }),
  z.object({ verb: z.literal('confirmEscalation'), note: field(NOTE_LIMIT) }),
  z.object({ verb: z.literal('paste'), paste: field(PASTE_LIMIT) }),
  z.object({ verb: z.literal('probe'), target: z.string().min(3).max(300) }),
  z.object({ verb: z.literal('language'), language: z.enum(LANGUAGES) }),
  // Teams asking for the escalated card afresh: it names the case it was drawn for.
  z.object({ verb: z.literal('refresh'), case: z.string().regex(new RegExp(`^${ESCALATION_ID.source}$`)) }),
  // A "Did you mean…?" button: the meaning it offered, as the understanding room names it.
  z.object({ verb: z.literal('meant'), say: z.string().max(40) }),
  ...(
    [
      'worksNow',
      'stillFailing',
      'thisFailed',
      'haveAccess',
      'noAccess',
      'notSure',
      'walkSteps',
      'tryAnother',
      'whichFailed',
      'escalate',
      'back',
      'startOver',
      'help',
      'checkSettings',
      'showFix',
    ] as const
  ).map((verb) => z.object({ verb: z.literal(verb) })),
]);

const typedSchema = formSchema.extend({ note: field(NOTE_LIMIT) });

/** What was typed on the card (the case form's fields, the escalation note) that came with a button, if anything. */
export function typedInputs(data: unknown): { fields: z.infer<typeof formSchema>; note?: string } | undefined {
  const typed = typedSchema.safeParse(data);
  if (!typed.success || Object.values(typed.data).every((value) => value === undefined)) return undefined;
  const { note, ...fields } = typed.data;
  return note === undefined ? { fields } : { fields, note };
}

const envelope = z.object({ rev: z.coerce.number().int().optional() });

export type CardAction = z.infer<typeof cardActionSchema> & { rev?: number };

/** Reads a button's data; `undefined` when it is not one of ours (an old card from another version, a forged click). */
export function parseCardAction(data: unknown): CardAction | undefined {
  const action = cardActionSchema.safeParse(data);
  const meta = envelope.safeParse(data);
  if (!action.success || !meta.success) return undefined;
  return { ...action.data, rev: meta.data.rev };
}
