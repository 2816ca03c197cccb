// What a case button sends back (the help desk's card in the channel, the admin's messages about their case),
// checked at the edge. The typed values are cut to a little over their limit, so a forged click costs nothing,
// and the desk then says which one is too long.
import { z } from 'zod';
import { QUESTION_LIMIT, SERVICE_REQUEST_LIMIT } from '../casework/machine';
import { ESCALATION_ID } from '../escalation/handoff';
import { readable } from '../flow/secrets';

const typed = (limit: number) =>
  z
    .string()
    .transform((value) => value.slice(0, readable(limit)))
    .optional();

const ref = { case: z.string().regex(new RegExp(`^${ESCALATION_ID.source}$`)), rev: z.coerce.number().int().min(0).optional() };

export const HELPDESK_VERBS = ['caseTake', 'caseTakeOver', 'caseAsk', 'caseMicrosoft', 'caseResolve', 'caseReopen', 'caseRefresh'] as const;
export const ADMIN_VERBS = ['caseAnswer', 'caseFixed', 'caseNotFixed', 'caseList'] as const;
const CASE_VERBS: readonly string[] = [...HELPDESK_VERBS, ...ADMIN_VERBS];

const caseActionSchema = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('caseTake'), ...ref }),
  z.object({ verb: z.literal('caseTakeOver'), ...ref }),
  z.object({ verb: z.literal('caseAsk'), ...ref, question: typed(QUESTION_LIMIT) }),
  z.object({ verb: z.literal('caseMicrosoft'), ...ref, serviceRequest: typed(SERVICE_REQUEST_LIMIT) }),
  z.object({ verb: z.literal('caseResolve'), ...ref, resolution: typed(QUESTION_LIMIT) }),
  z.object({ verb: z.literal('caseReopen'), ...ref }),
  z.object({ verb: z.literal('caseRefresh'), ...ref }),
  z.object({ verb: z.literal('caseAnswer'), ...ref, answer: typed(QUESTION_LIMIT) }),
  z.object({ verb: z.literal('caseFixed'), ...ref }),
  z.object({ verb: z.literal('caseNotFixed'), ...ref, reason: typed(QUESTION_LIMIT) }),
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
