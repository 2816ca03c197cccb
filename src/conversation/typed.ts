// What the admin typed or pasted into the chat, turned into a decision. Output (shell output, a client's
// error, a server's reply) is read as a paste on any screen once the case is known; a command is a command
// even on the paste screen; a text read several ways gets "Did you mean…?".
import type { FlowStateName } from '../flow/machine';
import type { Meaning, Understanding } from '../understanding';
import { type Diagnosis, diagnose } from '../diagnosis/diagnose';
import { type Decision, move, show } from './decision';
import { decideForMeaning, offer } from './meanings';
import { type FlowSnapshot, stateName } from './record';

// Shapes no admin types by hand: an error code, a POP3/IMAP4 reply (a tagged one: "a1 NO …", not "Outlook OK
// now"), a shell prompt.
const OUTPUT_MARKS = [/0x[0-9a-f]{8}/i, /^(\+OK|-ERR|\* (OK|NO|BAD|BYE|PREAUTH)|[A-Za-z]{0,2}\d{1,4} (OK|NO|BAD) )/m, /^PS [A-Za-z]:\\/m];

function isOutput(text: string): boolean {
  return text.trim().split(/\r?\n/).filter((line) => line.trim() !== '').length > 1 || OUTPUT_MARKS.some((mark) => mark.test(text));
}

// What the bot does on a guess (a text it was not taught as such) is limited to what the admin can undo with
// Back: closing the case, sending the escalation, wiping the case, or calling the step on screen failed without
// naming it ("this step is fine" reads much like "this step failed") are only done on a taught text or a click;
// a guess at them is asked as "Did you mean…?".
const COSTLY: ReadonlySet<Meaning['label']> = new Set(['worksNow', 'thisFailed', 'confirmEscalation', 'startOver']);
// What changes nothing in the case: help, the language, the lead's report, registering the help desk.
const READS_ONLY: ReadonlySet<Meaning['label']> = new Set(['help', 'language', 'report', 'registerHelpdesk']);
// On the escalation preview everything typed may be meant as the note: only these act on a guess there.
const HARMLESS_ON_PREVIEW: ReadonlySet<Meaning['label']> = new Set([...READS_ONLY, 'escalate']);
// The commands that win over a paste on the paste screen: the ways out, the screen's own answers, and going
// to a step.
const ESCAPES: ReadonlySet<Meaning['label']> = new Set([...READS_ONLY, 'startOver', 'back', 'escalate', 'worksNow', 'showFix', 'walkSteps', 'goTo', 'whichFailed']);

function actsOnGuess(meaning: Meaning, state: FlowStateName): boolean {
  return state === 'confirmingEscalation' ? HARMLESS_ON_PREVIEW.has(meaning.label) : !COSTLY.has(meaning.label);
}

/** The paste, read against the case: on the paste screen it is read there; elsewhere the paste screen opens with it. */
export function pasted(snapshot: FlowSnapshot, text: string, now: Date): Decision {
  const details = snapshot.context.details;
  return details ? diagnosedAs(snapshot, diagnose(text, details, now)) : show({ kind: 'needDetails' });
}

function diagnosedAs(snapshot: FlowSnapshot, diagnosis: Diagnosis): Decision {
  const diagnosed = { type: 'DIAGNOSED' as const, diagnosis };
  return stateName(snapshot) === 'checkingSettings' ? move(diagnosed) : move({ type: 'CHECK_SETTINGS' }, diagnosed);
}

export async function decideForText(text: string, snapshot: FlowSnapshot, now: Date, understanding: Understanding): Promise<Decision> {
  const details = snapshot.context.details;
  const state = stateName(snapshot);
  // On the preview a paste is the note's business, not a reason to leave it.
  if (details && state !== 'confirmingEscalation' && isOutput(text)) return pasted(snapshot, text, now);
  const reading = await understanding.read(text);
  if (state === 'checkingSettings') {
    // Here whatever is not a command is the paste, and so is output the settings check recognises
    // ("MSExchangePOP3 Running", "Authentication failed.") unless it was typed as taught. Read once, used twice.
    const diagnosis = diagnose(text, details!, now);
    if (!(reading.kind === 'sure' && reading.exact) && diagnosis.source !== 'unknown') return diagnosedAs(snapshot, diagnosis);
    // A guess at a way out is offered, not taken ("the command returned nothing" is not "back"), unless it
    // changes nothing in the case (help, the report).
    if (reading.kind === 'sure' && (reading.exact || ESCAPES.has(reading.meaning.label))) {
      return reading.exact || READS_ONLY.has(reading.meaning.label)
        ? decideForMeaning(reading.meaning, snapshot)
        : offer([reading.meaning], snapshot);
    }
    return diagnosedAs(snapshot, diagnosis);
  }
  if (reading.kind === 'sure' && reading.exact) return decideForMeaning(reading.meaning, snapshot);
  const decided = reading.kind === 'sure' ? decideForMeaning(reading.meaning, snapshot) : undefined;
  // Before the form is sent, "IMAP on Exchange 2019, step 3 fails" fills the form with what it names.
  if (state === 'gathering' && (!decided || (decided.kind === 'show' && decided.notice?.kind === 'needDetails'))) {
    const named = understanding.caseNames(text);
    if (named.protocol || named.version) return { kind: 'events', events: [{ type: 'KEEP_TYPED', fields: { ...snapshot.context.draft, ...named } }], notice: { kind: 'prefilled' } };
  }
  switch (reading.kind) {
    case 'sure':
      return actsOnGuess(reading.meaning, state) ? decided! : offer([reading.meaning], snapshot);
    case 'unsure':
      return offer(reading.choices, snapshot);
    case 'none':
      return show({ kind: 'unknownText' });
  }
}
