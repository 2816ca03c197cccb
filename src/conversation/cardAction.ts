// What a card button sends back, checked at the edge: anything else is answered, never trusted.
import { z } from 'zod';
import { CHECKPOINTS } from '../flow/types';
import { LANGUAGES } from '../i18n';

// Generous bounds: the form and the machine apply the real limits and say which field is wrong.
const field = z.string().max(10_000).optional();

// The case form's inputs, which Teams sends with every button of the form's card.
const formSchema = z.object({ protocol: field, version: field, server: field, mailbox: field, errorText: field, clientHost: field });

export const cardActionSchema = z.discriminatedUnion('verb', [
  formSchema.extend({ verb: z.literal('details'), next: z.enum(['walk', 'pick', 'check']) }),
  z.object({ verb: z.literal('pick'), checkpoint: z.enum(CHECKPOINTS) }),
  z.object({ verb: z.literal('confirmEscalation'), note: field }),
  z.object({ verb: z.literal('paste'), paste: z.string().max(100_000).optional() }),
  z.object({ verb: z.literal('probe'), target: z.string().min(3).max(300) }),
  z.object({ verb: z.literal('language'), language: z.enum(LANGUAGES) }),
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

const typedSchema = formSchema.extend({ note: field });

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
