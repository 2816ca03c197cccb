// The troubleshooting flow as one pure state machine: no I/O, no Bot Framework, no language.
// The conversation layer feeds it events and draws whatever state it lands in.
import { type AnyActorScope, and, assign, createActor, setup } from 'xstate';
import { type DetailError, type DetailField, type RawDetails, LIMITS, validateDetails } from './details';
import { maskedHead } from './secrets';
import type { Diagnosis } from './diagnosis';
import { type CaseDetails, type CheckpointId, type StepId, checkpointsFor, stepsFor } from './types';

/** Bump when states or context change shape: older saved conversations then restart politely. */
export const FLOW_VERSION = 1;

/** Every state of the machine, named for the screens that draw them (a test keeps the two in step). */
export const FLOW_STATES = [
  'gathering',
  'clientSettings',
  'checkingAccess',
  'checkingStep',
  'choosingFailedStep',
  'unsure',
  'showingRemedy',
  'checkingSettings',
  'confirmingEscalation',
  'resolved',
  'escalated',
] as const;
export type FlowStateName = (typeof FLOW_STATES)[number];
export const FINAL_STATES: readonly FlowStateName[] = ['resolved', 'escalated'];

export type Outcome = 'worked' | 'stillFailing' | 'failed' | 'remedyTried';
export interface JournalEntry {
  checkpoint: CheckpointId;
  outcome: Outcome;
}
export type EscalationReason = 'asked' | 'noAccess' | 'exhausted';

/** A screen that hands the admin commands: a checkpoint's guide (client settings, a step), its fixes, or the settings check. */
export type CommandScreen = { screen: 'guide' | 'remedy'; checkpoint: CheckpointId } | { screen: 'check' };

/** Names a screen, so that two sightings of one screen count once. */
export function screenKey(screen: CommandScreen): string {
  return screen.screen === 'check' ? screen.screen : `${screen.screen}:${screen.checkpoint}`;
}

export interface FlowContext {
  details?: CaseDetails;
  /** What the admin last typed into the case form, kept when it did not validate so nothing is lost. */
  draft?: RawDetails;
  detailErrors: DetailError[];
  step?: StepId;
  checkpoint?: CheckpointId;
  journal: JournalEntry[];
  escalationReason?: EscalationReason;
  note?: string;
  /** What the last pasted output (or live check) showed; the paste itself is not kept. */
  diagnosis?: Diagnosis;
  /** Every screen with commands the admin has seen, first seen first, once each: the help desk gets their commands. */
  shown?: CommandScreen[];
  /** The screen the admin was on when they asked to escalate, if it was one with commands. */
  escalatedFrom?: CommandScreen;
}

export type FlowEvent =
  | { type: 'SUBMIT_DETAILS'; fields: RawDetails; next: 'walk' | 'pick' | 'check' }
  /** What was typed on a card (the case form, the escalation note) that came with another of its buttons. */
  | { type: 'KEEP_TYPED'; fields: RawDetails; note?: string }
  | { type: 'CHECK_SETTINGS' }
  | { type: 'DIAGNOSED'; diagnosis: Diagnosis }
  | { type: 'SHOW_FIX' }
  | { type: 'WORKS_NOW' }
  | { type: 'STILL_FAILING' }
  | { type: 'THIS_FAILED' }
  | { type: 'HAVE_ACCESS' }
  | { type: 'NO_ACCESS' }
  | { type: 'PICK'; checkpoint: CheckpointId }
  | { type: 'NOT_SURE' }
  | { type: 'WALK_STEPS' }
  | { type: 'TRY_ANOTHER' }
  | { type: 'GO_TO'; checkpoint: CheckpointId }
  | { type: 'WHICH_FAILED' }
  | { type: 'ESCALATE' }
  | { type: 'CONFIRM_ESCALATION'; note?: string }
  | { type: 'BACK' }
  | { type: 'START_OVER' };

export type FlowEventType = FlowEvent['type'];

// The journal and the note end up in stored state and in tickets: both stay bounded.
const JOURNAL_LIMIT = 40;
export const NOTE_LIMIT = 1000;

function logged(journal: JournalEntry[], entry: JournalEntry): JournalEntry[] {
  return [...journal, entry].slice(-JOURNAL_LIMIT);
}

function cleanNote(note: string | undefined): string | undefined {
  const trimmed = note?.trim();
  return trimmed ? maskedHead(trimmed, NOTE_LIMIT) : undefined;
}

/** What was typed into the form, kept to fill it again however wrong: bounded (one character over a limit
 * still says "too long"), and without any password, whichever field it was typed into. */
function clip(fields: RawDetails): RawDetails {
  const kept: RawDetails = {};
  for (const field of Object.keys(LIMITS) as DetailField[]) {
    const value = fields[field];
    if (value !== undefined) kept[field] = maskedHead(value, LIMITS[field] + 1);
  }
  return kept;
}

function nextStep(context: FlowContext): StepId | undefined {
  const steps = stepsFor(context.details?.version);
  return context.step === undefined ? steps[0] : steps[steps.indexOf(context.step) + 1];
}

function previousStep(context: FlowContext): StepId | undefined {
  const steps = stepsFor(context.details?.version);
  return context.step === undefined ? undefined : steps[steps.indexOf(context.step) - 1];
}

type ScreenState = 'clientSettings' | 'checkingStep' | 'showingRemedy' | 'checkingSettings';

const SCREEN_OF: Record<ScreenState, (context: FlowContext) => CommandScreen | undefined> = {
  clientSettings: () => ({ screen: 'guide', checkpoint: 'clientSettings' }),
  checkingStep: ({ step }) => (step ? { screen: 'guide', checkpoint: step } : undefined),
  showingRemedy: ({ checkpoint }) => (checkpoint ? { screen: 'remedy', checkpoint } : undefined),
  checkingSettings: () => ({ screen: 'check' }),
};

/** An escalation asked for on a screen with commands, which the record names as where the admin stopped. */
function askedFrom(from: ScreenState) {
  return { target: 'confirmingEscalation', actions: { type: 'escalateBecause', params: { reason: 'asked', from } } } as const;
}

function applies(context: FlowContext, checkpoint: CheckpointId): boolean {
  return context.details !== undefined && checkpointsFor(context.details.version).includes(checkpoint);
}

export const initialContext: FlowContext = { detailErrors: [], journal: [] };

export const troubleshootingMachine = setup({
  types: {
    context: {} as FlowContext,
    events: {} as FlowEvent,
  },
  guards: {
    detailsValid: ({ event }) =>
      event.type === 'SUBMIT_DETAILS' && validateDetails(event.fields).details !== undefined,
    wantsWalk: ({ event }) => event.type === 'SUBMIT_DETAILS' && event.next === 'walk',
    wantsCheck: ({ event }) => event.type === 'SUBMIT_DETAILS' && event.next === 'check',
    diagnosisHasFix: ({ context }) =>
      context.diagnosis?.checkpoint != null && applies(context, context.diagnosis.checkpoint),
    hasDetails: ({ context }) => context.details !== undefined,
    hasStep: ({ context }) => context.step !== undefined,
    hasNextStep: ({ context }) => nextStep(context) !== undefined,
    hasPreviousStep: ({ context }) => previousStep(context) !== undefined,
    checkpointApplies: ({ context, event }) =>
      (event.type === 'PICK' || event.type === 'GO_TO') && applies(context, event.checkpoint),
    goesToClientSettings: ({ context, event }) =>
      event.type === 'GO_TO' && event.checkpoint === 'clientSettings' && applies(context, 'clientSettings'),
  },
  actions: {
    acceptDetails: assign(({ event }) => {
      if (event.type !== 'SUBMIT_DETAILS') return {};
      return { details: validateDetails(event.fields).details, draft: undefined, detailErrors: [] };
    }),
    rejectDetails: assign(({ event }) => {
      if (event.type !== 'SUBMIT_DETAILS') return {};
      return { draft: clip(event.fields), detailErrors: validateDetails(event.fields).errors };
    }),
    keepDraft: assign(({ event }) => (event.type === 'KEEP_TYPED' ? { draft: clip(event.fields) } : {})),
    keepTypedNote: assign(({ event }) => (event.type === 'KEEP_TYPED' ? { note: cleanNote(event.note) } : {})),
    // An escalation straight from the form takes what was typed there, when it holds together.
    acceptValidDraft: assign(({ context }) => {
      if (context.details || !context.draft) return {};
      const details = validateDetails(context.draft).details;
      return details ? { details, draft: undefined, detailErrors: [] } : {};
    }),
    beginSteps: assign(({ context }) => ({ step: stepsFor(context.details?.version)[0] })),
    advanceStep: assign(({ context }) => ({ step: nextStep(context) })),
    retreatStep: assign(({ context }) => ({ step: previousStep(context) })),
    goToStep: assign(({ event }) => (event.type === 'GO_TO' ? { step: event.checkpoint as StepId } : {})),
    showRemedyForStep: assign(({ context }) => ({ checkpoint: context.step })),
    showRemedyForPick: assign(({ event }) => (event.type === 'PICK' ? { checkpoint: event.checkpoint } : {})),
    showClientRemedy: assign({ checkpoint: 'clientSettings' as CheckpointId }),
    keepDiagnosis: assign(({ event }) => (event.type === 'DIAGNOSED' ? { diagnosis: event.diagnosis } : {})),
    showDiagnosedRemedy: assign(({ context }) => {
      const checkpoint = context.diagnosis?.checkpoint ?? undefined;
      return checkpoint ? { checkpoint, journal: logged(context.journal, { checkpoint, outcome: 'failed' }) } : {};
    }),
    forgetDiagnosis: assign({ diagnosis: undefined }),
    logStepWorked: assign(({ context }) => ({
      journal: context.step ? logged(context.journal, { checkpoint: context.step, outcome: 'worked' }) : context.journal,
    })),
    logStepStillFailing: assign(({ context }) => ({
      journal: context.step
        ? logged(context.journal, { checkpoint: context.step, outcome: 'stillFailing' })
        : context.journal,
    })),
    logStepFailed: assign(({ context }) => ({
      journal: context.step ? logged(context.journal, { checkpoint: context.step, outcome: 'failed' }) : context.journal,
    })),
    logClient: assign(({ context }, outcome: Outcome) => ({
      journal: logged(context.journal, { checkpoint: 'clientSettings', outcome }),
    })),
    logPicked: assign(({ context, event }) => ({
      journal: event.type === 'PICK' ? logged(context.journal, { checkpoint: event.checkpoint, outcome: 'failed' }) : context.journal,
    })),
    logRemedy: assign(({ context }, outcome: Outcome) => ({
      journal: context.checkpoint ? logged(context.journal, { checkpoint: context.checkpoint, outcome }) : context.journal,
    })),
    see: assign(({ context }, state: ScreenState) => {
      const screen = SCREEN_OF[state](context);
      const shown = context.shown ?? [];
      return screen && !shown.some((s) => screenKey(s) === screenKey(screen)) ? { shown: [...shown, screen] } : {};
    }),
    // Both at once, so an escalation asked for elsewhere never inherits where an earlier one began.
    escalateBecause: assign(({ context }, { reason, from }: { reason: EscalationReason; from?: ScreenState }) => ({
      escalationReason: reason,
      escalatedFrom: from ? SCREEN_OF[from](context) : undefined,
    })),
    // A confirmation typed in the chat or clicked on a "Did you mean…?" card carries no note: the one the card
    // kept stands.
    keepNote: assign(({ context, event }) =>
      event.type === 'CONFIRM_ESCALATION' ? { note: event.note === undefined ? context.note : cleanNote(event.note) } : {},
    ),
    // assign merges, so every key is named: a fresh case keeps nothing of the old one.
    reset: assign(() => ({
      ...initialContext,
      details: undefined,
      draft: undefined,
      step: undefined,
      checkpoint: undefined,
      escalationReason: undefined,
      note: undefined,
      diagnosis: undefined,
      shown: undefined,
      escalatedFrom: undefined,
    })),
  },
}).createMachine({
  id: 'troubleshooting',
  initial: 'gathering',
  context: initialContext,
  // Escape hatches that work wherever the admin is; each state adds its own buttons.
  on: {
    START_OVER: { target: '.gathering', actions: 'reset' },
    // "It works now" closes the case wherever the admin is, the escalation preview included; the screens
    // that asked a question about one step record the answer against that step themselves.
    WORKS_NOW: { target: '.resolved' },
    ESCALATE: { target: '.confirmingEscalation', actions: { type: 'escalateBecause', params: { reason: 'asked' } } },
    WHICH_FAILED: { guard: 'hasDetails', target: '.choosingFailedStep' },
    CHECK_SETTINGS: { guard: 'hasDetails', target: '.checkingSettings', actions: 'forgetDiagnosis' },
    GO_TO: [
      { guard: 'goesToClientSettings', target: '.clientSettings' },
      { guard: 'checkpointApplies', target: '.checkingStep', actions: 'goToStep' },
    ],
  },
  states: {
    gathering: {
      on: {
        SUBMIT_DETAILS: [
          { guard: and(['detailsValid', 'wantsWalk']), target: 'clientSettings', actions: 'acceptDetails' },
          { guard: and(['detailsValid', 'wantsCheck']), target: 'checkingSettings', actions: ['acceptDetails', 'forgetDiagnosis'] },
          { guard: 'detailsValid', target: 'choosingFailedStep', actions: 'acceptDetails' },
          { actions: 'rejectDetails' },
        ],
        KEEP_TYPED: { actions: 'keepDraft' },
        ESCALATE: {
          target: 'confirmingEscalation',
          actions: ['acceptValidDraft', { type: 'escalateBecause', params: { reason: 'asked' } }],
        },
      },
    },
    clientSettings: {
      entry: { type: 'see', params: 'clientSettings' },
      on: {
        ESCALATE: askedFrom('clientSettings'),
        WORKS_NOW: { target: 'resolved', actions: { type: 'logClient', params: 'worked' } },
        STILL_FAILING: { target: 'checkingAccess', actions: { type: 'logClient', params: 'stillFailing' } },
        THIS_FAILED: {
          target: 'showingRemedy',
          actions: [{ type: 'logClient', params: 'failed' }, 'showClientRemedy'],
        },
        BACK: 'gathering',
      },
    },
    checkingAccess: {
      on: {
        HAVE_ACCESS: { target: 'checkingStep', actions: 'beginSteps' },
        NO_ACCESS: { target: 'confirmingEscalation', actions: { type: 'escalateBecause', params: { reason: 'noAccess' } } },
        BACK: 'clientSettings',
      },
    },
    checkingStep: {
      entry: { type: 'see', params: 'checkingStep' },
      on: {
        WORKS_NOW: { target: 'resolved', actions: 'logStepWorked' },
        // Another step is another screen: entered anew, so it is seen.
        STILL_FAILING: [
          { guard: 'hasNextStep', target: 'checkingStep', reenter: true, actions: ['logStepStillFailing', 'advanceStep'] },
          { target: 'choosingFailedStep', actions: 'logStepStillFailing' },
        ],
        THIS_FAILED: { target: 'showingRemedy', actions: ['logStepFailed', 'showRemedyForStep'] },
        ESCALATE: askedFrom('checkingStep'),
        BACK: [
          { guard: 'hasPreviousStep', target: 'checkingStep', reenter: true, actions: 'retreatStep' },
          { target: 'checkingAccess' },
        ],
      },
    },
    choosingFailedStep: {
      on: {
        PICK: { guard: 'checkpointApplies', target: 'showingRemedy', actions: ['logPicked', 'showRemedyForPick'] },
        NOT_SURE: 'unsure',
        BACK: [{ guard: 'hasStep', target: 'checkingStep' }, { target: 'gathering' }],
      },
    },
    unsure: {
      on: {
        // Walking the steps again from the client settings is the one thing that narrows it down.
        WALK_STEPS: { target: 'clientSettings' },
        BACK: 'choosingFailedStep',
      },
    },
    showingRemedy: {
      entry: { type: 'see', params: 'showingRemedy' },
      on: {
        WORKS_NOW: { target: 'resolved', actions: { type: 'logRemedy', params: 'worked' } },
        TRY_ANOTHER: { target: 'choosingFailedStep', actions: { type: 'logRemedy', params: 'remedyTried' } },
        ESCALATE: {
          target: 'confirmingEscalation',
          actions: [
            { type: 'logRemedy', params: 'remedyTried' },
            { type: 'escalateBecause', params: { reason: 'exhausted', from: 'showingRemedy' } },
          ],
        },
        BACK: 'choosingFailedStep',
      },
    },
    checkingSettings: {
      entry: { type: 'see', params: 'checkingSettings' },
      on: {
        DIAGNOSED: { actions: 'keepDiagnosis' },
        SHOW_FIX: { guard: 'diagnosisHasFix', target: 'showingRemedy', actions: 'showDiagnosedRemedy' },
        WALK_STEPS: { target: 'clientSettings' },
        ESCALATE: askedFrom('checkingSettings'),
        BACK: 'gathering',
      },
    },
    confirmingEscalation: {
      on: {
        CONFIRM_ESCALATION: { target: 'escalated', actions: 'keepNote' },
        KEEP_TYPED: { actions: 'keepTypedNote' },
        // Asking again while confirming keeps the reason already given ("steps exhausted" stays so).
        ESCALATE: {},
        BACK: [{ guard: 'hasDetails', target: 'choosingFailedStep' }, { target: 'gathering' }],
      },
    },
    resolved: { type: 'final' },
    escalated: { type: 'final' },
  },
});


export type FlowSnapshot = ReturnType<typeof troubleshootingMachine.resolveState>;

/**
 * Whether the flow takes this event now. A finished case only opens again on purpose (start over):
 * its final state still answers `can` for the escape hatches declared on the whole machine.
 */
export function accepts(snapshot: FlowSnapshot, event: FlowEvent): boolean {
  return snapshot.status === 'done' ? event.type === 'START_OVER' : snapshot.can(event);
}

// xstate's pure transition() makes a throwaway actor for every call, and that actor works out the machine's
// initial state before anything else: most of what one transition cost a turn. This machine spawns no child,
// sets no timer and has no effect to run (every action assigns), so one inert scope serves every transition of
// every conversation, and the snapshots are those transition() gives (test/flow/transitions.test.ts).
const inertScope: AnyActorScope = (() => {
  const self = createActor(troubleshootingMachine);
  const nothing = () => {};
  return { self, id: '', sessionId: '', system: self.system, logger: nothing, defer: nothing, emit: nothing, stopChild: nothing, actionExecutor: nothing };
})();

/** The flow after `event`: what xstate's transition() returns, without an actor made for the call. */
export function nextSnapshot(snapshot: FlowSnapshot, event: FlowEvent): FlowSnapshot {
  return troubleshootingMachine.transition(snapshot, event, inertScope);
}

/** The flow before anything happened: what xstate's initialTransition() returns, without an actor made for the call. */
export function initialSnapshot(): FlowSnapshot {
  return troubleshootingMachine.getInitialSnapshot(inertScope);
}
