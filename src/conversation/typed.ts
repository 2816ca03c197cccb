// What the admin typed or pasted into the chat, turned into a decision. Output (shell output, a client's
// error, a server's reply) is read as a paste on any screen once the case is known; a command is a command
// even on the paste screen; a text read several ways gets "Did you mean…?".
import { diagnose } from '../diagnosis/diagnose';
import type { Understanding } from '../understanding';
import { type Decision, move, show } from './decision';
import { decideForMeaning, offer } from './meanings';
import { type FlowSnapshot, stateName } from './record';

// Shapes no admin types by hand: an error code, a POP3/IMAP4 reply, a shell prompt.
const OUTPUT_MARKS = [/0x[0-9a-f]{8}/i, /^(\+OK|-ERR|\* (OK|NO|BAD|BYE|PREAUTH)|[A-Za-z0-9.]+ (OK|NO|BAD) )/m, /^PS [A-Za-z]:\\/m];

function isOutput(text: string): boolean {
  return text.trim().split(/\r?\n/).filter((line) => line.trim() !== '').length > 1 || OUTPUT_MARKS.some((mark) => mark.test(text));
}

/** The paste, read against the case: on the paste screen it is read there; elsewhere the paste screen opens with it. */
export function pasted(snapshot: FlowSnapshot, text: string, now: Date): Decision {
  const details = snapshot.context.details;
  if (!details) return show({ kind: 'needDetails' });
  const diagnosed = { type: 'DIAGNOSED' as const, diagnosis: diagnose(text, details, now) };
  return stateName(snapshot) === 'checkingSettings' ? move(diagnosed) : move({ type: 'CHECK_SETTINGS' }, diagnosed);
}

export async function decideForText(text: string, snapshot: FlowSnapshot, now: Date, understanding: Understanding): Promise<Decision> {
  const details = snapshot.context.details;
  if (details && isOutput(text)) return pasted(snapshot, text, now);
  const reading = await understanding.read(text);
  // Typed exactly as the bot knows it ("certificate", "help"): a command, though an error could say the same word.
  if (reading.kind === 'sure' && reading.score === 1) return decideForMeaning(reading.meaning, snapshot);
  // A client's error in one line ("サーバーへの接続に失敗しました") is output, whatever words it shares with a command.
  if (details && diagnose(text, details, now).source !== 'unknown') return pasted(snapshot, text, now);
  const decided = reading.kind === 'sure' ? decideForMeaning(reading.meaning, snapshot) : undefined;
  // Before the form is sent, "IMAP on Exchange 2019, step 3 fails" fills the form with what it names.
  if (stateName(snapshot) === 'gathering' && (!decided || (decided.kind === 'show' && decided.notice?.kind === 'needDetails'))) {
    const named = understanding.caseNames(text);
    if (named.protocol || named.version) return { kind: 'events', events: [{ type: 'KEEP_TYPED', fields: { ...snapshot.context.draft, ...named } }], notice: { kind: 'prefilled' } };
  }
  switch (reading.kind) {
    case 'sure':
      return decided!;
    case 'unsure':
      return offer(reading.choices, snapshot);
    case 'none':
      // On the paste screen, whatever is not a command is the paste: "I could not read this" says so honestly.
      return stateName(snapshot) === 'checkingSettings' ? pasted(snapshot, text, now) : show({ kind: 'unknownText' });
  }
}
