// What a meaning does on the screen the admin is on. A meaning typed and the same meaning clicked on a
// "Did you mean…?" card end here, so the two never disagree.
import { type FlowEvent, type FlowStateName, accepts, nextSnapshot } from '../flow/machine';
import { type CheckpointId, checkpointsFor, stepsFor } from '../flow/types';
import type { Choice } from '../rendering/screens';
import { type Meaning, type PlainLabel, type StepRef, meaningName } from '../understanding';
import { type Decision, move, show } from './decision';
import { type FlowSnapshot, stateName } from './record';

// The meanings a button says as much as a text: a card's simple verbs are these labels.
const PLAIN_EVENTS: Partial<Record<PlainLabel, FlowEvent>> = {
  whichFailed: { type: 'WHICH_FAILED' },
  checkSettings: { type: 'CHECK_SETTINGS' },
  worksNow: { type: 'WORKS_NOW' },
  stillFailing: { type: 'STILL_FAILING' },
  thisFailed: { type: 'THIS_FAILED' },
  haveAccess: { type: 'HAVE_ACCESS' },
  noAccess: { type: 'NO_ACCESS' },
  notSure: { type: 'NOT_SURE' },
  walkSteps: { type: 'WALK_STEPS' },
  tryAnother: { type: 'TRY_ANOTHER' },
  escalate: { type: 'ESCALATE' },
  back: { type: 'BACK' },
  startOver: { type: 'START_OVER' },
  showFix: { type: 'SHOW_FIX' },
};

// Meanings that need the case first: without it there is no step list and nothing to check.
const NEED_DETAILS: ReadonlySet<string> = new Set(['whichFailed', 'checkSettings', 'goTo', 'failedAt']);

// A bare "yes" or "no" answers the one question a screen asks; elsewhere the bot offers the screen's answers.
const YES_NO: Partial<Record<FlowStateName, { yes: Meaning; no: Meaning }>> = {
  checkingAccess: { yes: { label: 'haveAccess' }, no: { label: 'noAccess' } },
  confirmingEscalation: { yes: { label: 'confirmEscalation' }, no: { label: 'back' } },
};

const SCREEN_ANSWERS: Partial<Record<FlowStateName, PlainLabel[]>> = {
  clientSettings: ['worksNow', 'stillFailing', 'thisFailed'],
  checkingStep: ['worksNow', 'stillFailing', 'thisFailed'],
  showingRemedy: ['worksNow', 'tryAnother', 'escalate'],
  unsure: ['walkSteps', 'checkSettings', 'escalate'],
  checkingSettings: ['showFix', 'walkSteps', 'escalate'],
  checkingAccess: ['haveAccess', 'noAccess'],
  confirmingEscalation: ['confirmEscalation', 'back'],
};

// What a meaning said on the wrong screen comes to here: "not fixed" on a fix is "try another step?".
const REDIRECTS: Partial<Record<FlowStateName, Partial<Record<PlainLabel, PlainLabel[]>>>> = {
  showingRemedy: { stillFailing: ['tryAnother', 'escalate'], next: ['tryAnother'], thisFailed: ['tryAnother', 'escalate'] },
  checkingSettings: { stillFailing: ['walkSteps', 'escalate'] },
  unsure: { stillFailing: ['walkSteps', 'escalate'] },
  choosingFailedStep: { stillFailing: ['notSure'], notSure: ['notSure'] },
  // "Carry on" on the access question is "I have the rights".
  checkingAccess: { next: ['haveAccess'], stillFailing: ['haveAccess', 'noAccess'] },
};

/** The flow event a plain meaning, or a card's simple button of the same name, stands for. */
export function eventFor(label: string): FlowEvent | undefined {
  return PLAIN_EVENTS[label as PlainLabel];
}

function redirected(label: PlainLabel, state: FlowStateName): Meaning[] {
  return (REDIRECTS[state]?.[label] ?? SCREEN_ANSWERS[state] ?? []).map((l) => ({ label: l }));
}

/** A meaning this screen cannot take: what it leads to here, offered, when offering is wanted and there is any. */
function instead(label: PlainLabel, snapshot: FlowSnapshot, offerInstead: boolean): Decision {
  const meanings = redirected(label, stateName(snapshot));
  return offerInstead && meanings.length > 0 ? offer(meanings, snapshot) : show({ kind: 'notHere' });
}

function checkpointOf(target: StepRef, snapshot: FlowSnapshot): CheckpointId | undefined {
  const version = snapshot.context.details?.version;
  const checkpoint = 'checkpoint' in target ? target.checkpoint : stepsFor(version)[target.step - 1];
  return checkpoint && checkpointsFor(version).includes(checkpoint) ? checkpoint : undefined;
}

/** `offerInstead`: a meaning this screen cannot take offers the screen's own answers (never when drawing an offer). */
export function decideForMeaning(meaning: Meaning, snapshot: FlowSnapshot, offerInstead = true): Decision {
  const state = stateName(snapshot);
  if (NEED_DETAILS.has(meaning.label) && !snapshot.context.details) return show({ kind: 'needDetails' });
  switch (meaning.label) {
    case 'language':
      return { kind: 'language', language: meaning.language };
    case 'help':
      return { kind: 'help' };
    case 'registerHelpdesk':
      return { kind: 'registerHelpdesk' };
    case 'report':
      return { kind: 'report', days: meaning.days };
    // Sending happens on the preview only, where the admin sees what goes; elsewhere it opens the preview.
    case 'confirmEscalation':
      return state === 'confirmingEscalation' ? move({ type: 'CONFIRM_ESCALATION' }) : move({ type: 'ESCALATE' });
    // "Next" on a step is what the step's own "done, still failing" does: go on to the next one.
    case 'next': {
      if (state === 'clientSettings' || state === 'checkingStep') return move({ type: 'STILL_FAILING' });
      return instead('next', snapshot, offerInstead);
    }
    case 'goTo':
    case 'failedAt': {
      const checkpoint = checkpointOf(meaning.target, snapshot);
      if (!checkpoint) return show({ kind: 'notApplicable' });
      if (state === 'choosingFailedStep') return move({ type: 'PICK', checkpoint });
      return meaning.label === 'goTo' ? move({ type: 'GO_TO', checkpoint }) : move({ type: 'WHICH_FAILED' }, { type: 'PICK', checkpoint });
    }
    case 'yes':
    case 'no': {
      const answer = YES_NO[state]?.[meaning.label];
      if (answer) return decideForMeaning(answer, snapshot, offerInstead);
      return !offerInstead ? show({ kind: 'notHere' }) : offer(redirected(meaning.label, state), snapshot);
    }
    default: {
      const event = PLAIN_EVENTS[meaning.label];
      if (!event) return show({ kind: 'notHere' });
      // Meant for another screen ("not fixed" on a fix, which asks "try another step?"): this screen's answers.
      return accepts(snapshot, event) ? move(event) : instead(meaning.label, snapshot, offerInstead);
    }
  }
}

/** Whether the flow, as it stands, takes every event of the chain in turn. */
function moves(snapshot: FlowSnapshot, events: FlowEvent[]): boolean {
  let current = snapshot;
  for (const event of events) {
    if (!accepts(current, event)) return false;
    current = nextSnapshot(current, event);
  }
  return true;
}

/**
 * What a meaning comes to on this screen, named by what its button will do: a bare "yes" on the preview is
 * "confirm escalation", "confirm" elsewhere only opens the preview ("escalate"), a step named on the
 * which-step screen is that step failing.
 */
function resolved(meaning: Meaning, snapshot: FlowSnapshot): Meaning[] {
  const state = stateName(snapshot);
  switch (meaning.label) {
    case 'yes':
    case 'no': {
      const answer = YES_NO[state]?.[meaning.label];
      return answer ? [answer] : redirected(meaning.label, state);
    }
    case 'confirmEscalation':
      return [state === 'confirmingEscalation' ? meaning : { label: 'escalate' }];
    case 'goTo':
    case 'failedAt': {
      const checkpoint = checkpointOf(meaning.target, snapshot);
      if (!checkpoint) return [];
      return [{ label: state === 'choosingFailedStep' ? 'failedAt' : meaning.label, target: { checkpoint } }];
    }
    case 'language':
    case 'report':
      return [meaning];
    default: {
      const event = PLAIN_EVENTS[meaning.label];
      return event && !accepts(snapshot, event) ? redirected(meaning.label, state) : [meaning];
    }
  }
}

function choiceOf(meaning: Meaning, snapshot: FlowSnapshot): Choice | undefined {
  const decision = decideForMeaning(meaning, snapshot, false);
  if (decision.kind === 'show' || (decision.kind === 'events' && !moves(snapshot, decision.events))) return undefined;
  const named =
    meaning.label === 'goTo' || meaning.label === 'failedAt'
      ? { checkpoint: checkpointOf(meaning.target, snapshot) }
      : meaning.label === 'language'
        ? { language: meaning.language }
        : {};
  return { say: meaningName(meaning), label: meaning.label, ...named };
}

const MOST_CHOICES = 3;

/** "Did you mean…?" with what the meanings would do here, once each; none of them, and the bot says it did not understand. */
export function offer(meanings: Meaning[], snapshot: FlowSnapshot): Decision {
  const choices = meanings
    .flatMap((meaning) => resolved(meaning, snapshot))
    .flatMap((meaning) => choiceOf(meaning, snapshot) ?? [])
    .filter((choice, i, all) => all.findIndex((c) => c.say === choice.say) === i)
    .slice(0, MOST_CHOICES);
  return choices.length > 0 ? show({ kind: 'didYouMean', choices }) : show({ kind: 'unknownText' });
}
