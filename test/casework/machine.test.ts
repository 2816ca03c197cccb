import { CASE_STATES, type CaseEvent, type CaseSnapshot, type CaseStatus, type Member, caseMachine } from '../../src/casework/machine';
import type { CaseMessage } from '../../src/casework/messages';
import { caseStatus, newCase, restoreCase, step } from '../../src/casework/step';
import { ADMIN, ADMIN_EVENTS, AT, EVENTS, HANAKO, JIRO, TARO, caseKey, memberEvents, shortestPaths, shortestWayTo } from '../support/caseModel';

const paths = shortestPaths();

function run(events: CaseEvent[], from = newCase()): CaseSnapshot {
  let snapshot = from;
  for (const event of events) {
    const moved = step(snapshot, event, ADMIN);
    if (!moved.accepted) throw new Error(`${event.type} refused while ${caseStatus(snapshot)}`);
    snapshot = moved.snapshot;
  }
  return snapshot;
}

const take = (by: Member, at = AT): CaseEvent => ({ type: 'TAKE', by, at });
const takeOver = (by: Member, at = AT): CaseEvent => ({ type: 'TAKE_OVER', by, at });
const ask = (by: Member, text = 'Which client shows the error?'): CaseEvent => ({ type: 'ASK', by, text, at: AT });
const answer = (text = 'Outlook 2016.'): CaseEvent => ({ type: 'ANSWER', text });
const withMicrosoft = (by: Member, serviceRequest = '2505010040001234'): CaseEvent => ({ type: 'WITH_MICROSOFT', by, serviceRequest, at: AT });
const resolve = (by: Member, note = 'Re-enabled IMAP4 on the mailbox.'): CaseEvent => ({ type: 'RESOLVE', by, note, at: AT });
const reopen = (by: Member, at = AT): CaseEvent => ({ type: 'REOPEN', by, at });
const close = (by: Member): CaseEvent => ({ type: 'CLOSE', by });
const fixed = (): CaseEvent => ({ type: 'FIXED' });

/** Taro's case in each status where somebody works it. */
const WORKED: Record<'taken' | 'waitingForAdmin' | 'withMicrosoft', CaseEvent[]> = {
  taken: [take(TARO)],
  waitingForAdmin: [take(TARO), ask(TARO)],
  withMicrosoft: [take(TARO), withMicrosoft(TARO)],
};
const worked = Object.entries(WORKED) as [CaseStatus, CaseEvent[]][];

const accepts = (snapshot: CaseSnapshot, event: CaseEvent) => step(snapshot, event, ADMIN).accepted;

describe('the case machine', () => {
  it('reaches every status it declares, and no other, each on a short way from open', () => {
    const shortest = Object.fromEntries(
      CASE_STATES.map((status) => [status, shortestWayTo(status, newCase())!.steps.slice(1).map((s) => s.event.type)]),
    );
    // Asking, sending to Microsoft, resolving and closing need no Take first.
    expect(shortest).toEqual({ open: [], taken: ['TAKE'], waitingForAdmin: ['ASK'], withMicrosoft: ['WITH_MICROSOFT'], resolved: ['RESOLVE'], closed: ['CLOSE'] });
    expect([...new Set(paths.map((p) => p.state.value as string))].sort()).toEqual([...CASE_STATES].sort());
    expect(Object.keys(caseMachine.root.states).sort()).toEqual([...CASE_STATES].sort());
  });

  it('can be closed from every state it reaches', () => {
    for (const path of paths) {
      expect({ from: caseKey(path.state), closes: shortestWayTo('closed', path.state) !== undefined }).toEqual({ from: caseKey(path.state), closes: true });
    }
  });

  it('never locks the help desk out: in every state, a member who has not touched the case can act on it', () => {
    for (const path of paths) {
      const acts = memberEvents(JIRO).some((event) => accepts(path.state, event));
      expect({ state: caseKey(path.state), acts }).toEqual({ state: caseKey(path.state), acts: true });
    }
  });

  it('lets the owner move their case on in every state where somebody works it', () => {
    for (const path of paths.filter((p) => ['taken', 'waitingForAdmin', 'withMicrosoft'].includes(p.state.value as string))) {
      const owner = path.state.context.owner!;
      expect({ state: caseKey(path.state), resolves: accepts(path.state, resolve(owner)) }).toEqual({ state: caseKey(path.state), resolves: true });
    }
  });

  it('listens to the admin exactly where it waits for them: a question open, or a resolution to confirm', () => {
    const heard = Object.fromEntries(
      CASE_STATES.map((status) => {
        const snapshot = paths.find((p) => p.state.value === status)!.state;
        return [status, ADMIN_EVENTS.filter((event) => accepts(snapshot, event)).map((e) => e.type)];
      }),
    );
    expect(heard).toEqual({ open: [], taken: [], waitingForAdmin: ['ANSWER'], withMicrosoft: [], resolved: ['FIXED', 'NOT_FIXED'], closed: [] });
  });
});

describe('who works a case', () => {
  it.each(worked)('lets only the owner ask, send to Microsoft or resolve a case that is %s', (_status, events) => {
    const case_ = run(events);
    for (const event of [ask(HANAKO), withMicrosoft(HANAKO), resolve(HANAKO)]) {
      expect({ event: event.type, accepted: accepts(case_, event) }).toEqual({ event: event.type, accepted: false });
    }
    for (const event of [ask(TARO), withMicrosoft(TARO), resolve(TARO)]) {
      expect({ event: event.type, accepted: accepts(case_, event) }).toEqual({ event: event.type, accepted: true });
    }
  });

  it.each(worked)('lets the ticketing system, the system of record, close a case that is %s whoever holds it', (_status, events) => {
    expect(caseStatus(run([close(HANAKO)], run(events)))).toBe('closed');
  });

  it('lets only whoever resolved a case take it back before the admin answers "did this fix it?"', () => {
    const resolved = run([take(TARO), resolve(TARO)]);
    expect(accepts(resolved, reopen(HANAKO))).toBe(false);
    expect(caseStatus(run([reopen(TARO)], resolved))).toBe('taken');
  });

  it.each(worked)('refuses Take on a case that is %s, but lets another member take it over, status kept', (status, events) => {
    const case_ = run(events);
    expect([accepts(case_, take(HANAKO)), accepts(case_, take(TARO))]).toEqual([false, false]);
    const taken = run([takeOver(HANAKO)], case_);
    expect([caseStatus(taken), taken.context.owner]).toEqual([status, HANAKO]);
  });

  it.each(worked)('does not let the owner take over a case that is %s from themself', (_status, events) => {
    expect(accepts(run(events), takeOver(TARO))).toBe(false);
  });

  it.each([
    ['TAKE', 'taken', take(TARO)],
    ['TAKE_OVER', 'taken', takeOver(TARO)],
    ['ASK', 'waitingForAdmin', ask(TARO)],
    ['WITH_MICROSOFT', 'withMicrosoft', withMicrosoft(TARO)],
    ['RESOLVE', 'resolved', resolve(TARO)],
  ] as const)('gives an open case to the member whose %s moves it on to %s', (_type, status, event) => {
    const case_ = run([event]);
    expect([caseStatus(case_), case_.context.owner, case_.context.firstTakenAt]).toEqual([status, TARO, AT]);
  });

  it('records when the case was first taken, and neither a take-over nor a reopening moves it', () => {
    const case_ = run([
      take(TARO, '2025-05-01T09:00:00.000Z'),
      takeOver(HANAKO, '2025-05-01T10:00:00.000Z'),
      resolve(HANAKO),
      fixed(),
      reopen(TARO, '2025-05-01T11:00:00.000Z'),
    ]);
    expect([case_.context.owner, case_.context.firstTakenAt]).toEqual([TARO, '2025-05-01T09:00:00.000Z']);
  });
});

describe('questions to the admin', () => {
  it('waits for the admin with the question, and goes back to the owner when they answer', () => {
    const waiting = run([take(TARO), ask(TARO, 'Which client shows the error?')]);
    expect([caseStatus(waiting), waiting.context.question]).toEqual(['waitingForAdmin', { by: TARO, text: 'Which client shows the error?' }]);
    const answered = run([answer()], waiting);
    expect([caseStatus(answered), answered.context.question, answered.context.owner]).toEqual(['taken', undefined, TARO]);
  });

  it('goes back to Microsoft when the admin answers a question asked during a service request', () => {
    const answered = run([withMicrosoft(TARO, '2505010040001234'), ask(TARO), answer()]);
    expect([caseStatus(answered), answered.context.question, answered.context.serviceRequest]).toEqual(['withMicrosoft', undefined, '2505010040001234']);
  });

  it('replaces an open question with a second one: the admin answers the latest', () => {
    const waiting = run([ask(TARO, 'Which client?'), ask(TARO, 'Which port does it use?')]);
    expect([caseStatus(waiting), waiting.context.question?.text]).toEqual(['waitingForAdmin', 'Which port does it use?']);
  });
});

describe('a resolved case', () => {
  it('closes when the admin says the fix worked', () => {
    expect(caseStatus(run([resolve(TARO), { type: 'FIXED' }]))).toBe('closed');
  });

  it('goes back to its owner with the reason when the admin says it did not, and counts the reopening', () => {
    const once = run([resolve(TARO), { type: 'NOT_FIXED', reason: 'Still asks for a password.' }]);
    expect([caseStatus(once), once.context.owner, once.context.reopenReason, once.context.reopened, once.context.resolution]).toEqual([
      'taken',
      TARO,
      'Still asks for a password.',
      1,
      undefined,
    ]);
    const twice = run([resolve(TARO), { type: 'NOT_FIXED', reason: 'Only on Outlook.' }], once);
    expect([twice.context.reopenReason, twice.context.reopened]).toEqual(['Only on Outlook.', 2]);
  });

  it('reopens a closed case for the member who reopens it', () => {
    const reopened = run([resolve(TARO), { type: 'FIXED' }, reopen(HANAKO)]);
    expect([caseStatus(reopened), reopened.context.owner, reopened.context.reopened]).toEqual(['taken', HANAKO, 1]);
  });
});

describe('the ticketing system', () => {
  it('records its ticket number in every state without moving the case', () => {
    for (const path of paths) {
      const after = run([{ type: 'TICKET', ticketId: 'INC0099999' }], path.state);
      expect([caseKey(after), after.context.ticketId]).toEqual([caseKey(path.state), 'INC0099999']);
    }
  });
});

describe('who hears what', () => {
  const card: CaseMessage = { to: 'channel', kind: 'card' };
  const cases: [string, CaseEvent[], CaseEvent, CaseMessage[]][] = [
    ['a Take', [], take(TARO), [card, { to: 'admin', kind: 'taken', by: TARO }]],
    ['a take-over', [take(TARO)], takeOver(HANAKO), [card, { to: 'admin', kind: 'taken', by: HANAKO }]],
    [
      'a question on an open case',
      [],
      ask(TARO, 'Which client?'),
      [card, { to: 'admin', kind: 'taken', by: TARO }, { to: 'admin', kind: 'question', by: TARO, text: 'Which client?' }],
    ],
    ['a question on a taken case', [take(TARO)], ask(TARO, 'Which client?'), [card, { to: 'admin', kind: 'question', by: TARO, text: 'Which client?' }]],
    ['an answer', [ask(TARO)], answer('Outlook 2016.'), [{ to: 'channel', kind: 'note', note: { what: 'answer', by: ADMIN, text: 'Outlook 2016.' } }, card]],
    ['a service request', [take(TARO)], withMicrosoft(TARO, 'SR-1'), [card, { to: 'admin', kind: 'withMicrosoft', by: TARO, serviceRequest: 'SR-1' }]],
    ['a resolution', [take(TARO)], resolve(TARO, 'Fixed.'), [card, { to: 'admin', kind: 'resolved', by: TARO, note: 'Fixed.' }]],
    ['"it works"', [resolve(TARO)], { type: 'FIXED' }, [{ to: 'channel', kind: 'note', note: { what: 'fixed', by: ADMIN } }, card]],
    [
      '"it still fails"',
      [resolve(TARO)],
      { type: 'NOT_FIXED', reason: 'Same error.' },
      [{ to: 'channel', kind: 'note', note: { what: 'notFixed', by: ADMIN, text: 'Same error.' } }, card],
    ],
    ['a reopening', [close(TARO)], reopen(HANAKO), [card, { to: 'admin', kind: 'reopened', by: HANAKO }]],
    ['a close', [take(TARO)], close(TARO), [card, { to: 'admin', kind: 'closed' }]],
    ['a new ticket number', [], { type: 'TICKET', ticketId: 'INC1' }, [card, { to: 'admin', kind: 'ticket', ticketId: 'INC1' }]],
    ['a changed ticket number', [{ type: 'TICKET', ticketId: 'INC1' }], { type: 'TICKET', ticketId: 'INC2' }, [card, { to: 'admin', kind: 'ticket', ticketId: 'INC2' }]],
    ['the same ticket number again', [{ type: 'TICKET', ticketId: 'INC1' }], { type: 'TICKET', ticketId: 'INC1' }, []],
  ];

  it.each(cases)('%s', (_name, before, event, messages) => {
    expect(step(run(before), event, ADMIN)).toEqual({ accepted: true, snapshot: expect.anything(), messages });
  });

  it('tells nobody anything of an event it refuses, and leaves the case as it was', () => {
    const case_ = run([take(TARO)]);
    expect(step(case_, take(HANAKO), ADMIN)).toEqual({ accepted: false, snapshot: case_ });
  });

  it('redraws the channel card exactly once for every change it takes, whoever makes it', () => {
    for (const path of paths) {
      for (const event of EVENTS) {
        const moved = step(path.state, event, ADMIN);
        if (!moved.accepted || (event.type === 'TICKET' && path.state.context.ticketId === event.ticketId)) continue;
        const cards = moved.messages.filter((m) => m.kind === 'card').length;
        expect({ state: caseKey(path.state), event: event.type, cards }).toEqual({ state: caseKey(path.state), event: event.type, cards: 1 });
      }
    }
  });
});

describe('a kept case', () => {
  it('comes back as it was kept, and acts as it did', () => {
    const kept = run([take(TARO), withMicrosoft(TARO), ask(TARO), { type: 'TICKET', ticketId: 'INC1' }]);
    const back = restoreCase(caseStatus(kept), kept.context);
    expect([caseStatus(back), back.context]).toEqual([caseStatus(kept), kept.context]);
    expect([accepts(back, resolve(HANAKO)), caseStatus(run([answer()], back))]).toEqual([false, 'withMicrosoft']);
  });

  it('survives the JSON the case file stores, in every state it reaches', () => {
    for (const path of paths) {
      const stored = JSON.parse(JSON.stringify({ status: caseStatus(path.state), context: path.state.context }));
      const back = restoreCase(stored.status, stored.context);
      const acts = (snapshot: CaseSnapshot) => EVENTS.map((event) => accepts(snapshot, event));
      expect({ key: caseKey(back), context: back.context, acts: acts(back) }).toEqual({ key: caseKey(path.state), context: path.state.context, acts: acts(path.state) });
    }
  });

  it.each([
    ['an unknown status', 'escalated', { owner: TARO, reopened: 0 }],
    ['no status', undefined, { reopened: 0 }],
    ['a null context', 'taken', null],
    ['no context', 'taken', undefined],
    ['a context that is text', 'taken', 'taro'],
  ])('reads %s as a new, open case', (_name, status, context) => {
    const back = restoreCase(status, context);
    expect([caseStatus(back), back.context]).toEqual(['open', { reopened: 0 }]);
  });

  it.each([
    ['taken', { reopened: 0 }],
    ['waitingForAdmin', { question: { by: TARO, text: 'Which client?' }, reopened: 0 }],
    ['withMicrosoft', { serviceRequest: '2505010040001234', reopened: 0 }],
  ])('lets a member take over a kept case that is %s but lost its owner', (status, context) => {
    const back = run([takeOver(JIRO)], restoreCase(status, context));
    expect([caseStatus(back), back.context.owner]).toEqual([status, JIRO]);
  });

  it('counts no reopenings when a kept context lost its count', () => {
    expect(restoreCase('taken', { owner: TARO, reopened: 'twice' }).context).toEqual({ owner: TARO, reopened: 0 });
  });
});
