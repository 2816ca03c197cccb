// What one turn will do, decided before anything is changed: move the flow, change the language, show help,
// register the help desk, answer the help-desk lead's report, run the live check, or only show the screen
// (with a notice).
import type { FlowEvent } from '../flow/machine';
import type { Language } from '../i18n';
import type { Notice } from '../rendering/screens';
import type { ReportPeriod } from '../understanding';

export type Decision =
  /** One event, or a short chain ("step 3 is what fails": to the step list, then the step). */
  | { kind: 'events'; events: FlowEvent[]; notice?: Notice }
  | { kind: 'language'; language: Language }
  | { kind: 'help' }
  | { kind: 'registerHelpdesk' }
  | { kind: 'report'; days: ReportPeriod }
  | { kind: 'probe'; target: string }
  /** The escalated card of case `caseId`, drawn again as the case now stands. */
  | { kind: 'refresh'; caseId: string }
  | { kind: 'show'; notice?: Notice };

export const move = (...events: FlowEvent[]): Decision => ({ kind: 'events', events });
export const show = (notice: Notice): Decision => ({ kind: 'show', notice });
