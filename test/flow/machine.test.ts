import { initialTransition, transition } from 'xstate';
import { FINAL_STATES, FLOW_STATES, type FlowEvent, troubleshootingMachine } from '../../src/flow/machine';
import { ONLINE, ON_PREMISES, shortestPaths, shortestWayOut } from '../support/flowModel';

const paths = shortestPaths();

function run(events: FlowEvent[]) {
  let [snapshot] = initialTransition(troubleshootingMachine);
  for (const event of events) [snapshot] = transition(troubleshootingMachine, snapshot, event);
  return snapshot;
}

describe('the troubleshooting flow', () => {
  it('keeps the reason for an escalation when the admin asks to escalate again while confirming', () => {
    const confirming = run([
      { type: 'SUBMIT_DETAILS', next: 'pick', fields: ON_PREMISES },
      { type: 'PICK', checkpoint: 'mailbox' },
      { type: 'ESCALATE' },
    ]);
    expect([confirming.value, confirming.context.escalationReason]).toEqual(['confirmingEscalation', 'exhausted']);
    const again = transition(troubleshootingMachine, confirming, { type: 'ESCALATE' })[0];
    expect([again.value, again.context.escalationReason]).toEqual(['confirmingEscalation', 'exhausted']);
  });

  it('reaches every state it declares, and no other', () => {
    const reached = new Set(paths.map((p) => p.state.value as string));
    expect([...reached].sort()).toEqual([...FLOW_STATES].sort());
    expect(Object.keys(troubleshootingMachine.root.states).sort()).toEqual([...FLOW_STATES].sort());
  });

  it('shows all four server steps on premises and only the mailbox and authentication online', () => {
    const stepsShown = (online: boolean) =>
      paths
        .filter((p) => p.state.value === 'checkingStep' && (p.state.context.details?.version === 'Online') === online)
        .map((p) => p.state.context.step)
        .sort();
    expect(stepsShown(false)).toEqual(['connector', 'mailbox', 'serverSettings', 'service']);
    expect(stepsShown(true)).toEqual(['mailbox', 'onlineAuth']);
  });

  it('offers a remedy for every checkpoint that applies to the version', () => {
    const remedies = (online: boolean) =>
      paths
        .filter((p) => p.state.value === 'showingRemedy' && (p.state.context.details?.version === 'Online') === online)
        .map((p) => p.state.context.checkpoint)
        .sort();
    expect(remedies(false)).toEqual(['clientSettings', 'connector', 'mailbox', 'serverSettings', 'service']);
    expect(remedies(true)).toEqual(['clientSettings', 'mailbox', 'onlineAuth']);
  });

  it('has no dead end: from every reachable screen the case can still end resolved or escalated', () => {
    for (const path of paths) {
      if (FINAL_STATES.includes(path.state.value as never)) continue;
      const out = shortestWayOut(path.state);
      expect({ from: path.state.value, out: out?.state.value }).toEqual({ from: path.state.value, out: expect.stringMatching(/^(resolved|escalated)$/) });
    }
  });

  it('keeps what was typed into an invalid form, with the reasons', () => {
    const snapshot = run([{ type: 'SUBMIT_DETAILS', next: 'walk', fields: { server: 'EX01; rm', mailbox: "o'brien@contoso.com" } }]);
    expect(snapshot.value).toBe('gathering');
    expect(snapshot.context.draft).toMatchObject({ server: 'EX01; rm', mailbox: "o'brien@contoso.com" });
    expect(snapshot.context.detailErrors).toEqual([
      { field: 'protocol', problem: 'required' },
      { field: 'server', problem: 'notAServerName' },
    ]);
  });

  it('walks the four steps in order and asks which failed after the last one', () => {
    const visited: string[] = [];
    let snapshot = run([{ type: 'SUBMIT_DETAILS', next: 'walk', fields: ON_PREMISES }, { type: 'STILL_FAILING' }, { type: 'HAVE_ACCESS' }]);
    while (snapshot.value === 'checkingStep') {
      visited.push(snapshot.context.step!);
      [snapshot] = transition(troubleshootingMachine, snapshot, { type: 'STILL_FAILING' });
    }
    expect(visited).toEqual(['service', 'serverSettings', 'mailbox', 'connector']);
    expect(snapshot.value).toBe('choosingFailedStep');
    expect(snapshot.context.journal.map((e) => `${e.checkpoint}:${e.outcome}`)).toEqual([
      'clientSettings:stillFailing',
      'service:stillFailing',
      'serverSettings:stillFailing',
      'mailbox:stillFailing',
      'connector:stillFailing',
    ]);
  });

  it('refuses a server step for Exchange Online', () => {
    const snapshot = run([{ type: 'SUBMIT_DETAILS', next: 'pick', fields: ONLINE }]);
    expect(snapshot.can({ type: 'PICK', checkpoint: 'service' })).toBe(false);
    expect(snapshot.can({ type: 'PICK', checkpoint: 'onlineAuth' })).toBe(true);
  });

  it('keeps the journal bounded however long the admin goes round in circles', () => {
    const events: FlowEvent[] = [{ type: 'SUBMIT_DETAILS', next: 'pick', fields: ON_PREMISES }];
    for (let i = 0; i < 200; i++) events.push({ type: 'PICK', checkpoint: 'mailbox' }, { type: 'TRY_ANOTHER' });
    const snapshot = run(events);
    expect(snapshot.context.journal.length).toBeLessThanOrEqual(40);
    expect(JSON.stringify(snapshot.context).length).toBeLessThan(4096);
  });

  it('remembers each screen with commands once, and where an escalation began only for that escalation', () => {
    const onStep2 = run([
      { type: 'SUBMIT_DETAILS', next: 'walk', fields: ON_PREMISES },
      { type: 'STILL_FAILING' },
      { type: 'HAVE_ACCESS' },
      { type: 'STILL_FAILING' },
      { type: 'BACK' },
      { type: 'STILL_FAILING' },
      { type: 'CHECK_SETTINGS' },
      { type: 'GO_TO', checkpoint: 'serverSettings' },
      { type: 'ESCALATE' },
    ]);
    expect(onStep2.context.shown).toEqual([
      { screen: 'guide', checkpoint: 'clientSettings' },
      { screen: 'guide', checkpoint: 'service' },
      { screen: 'guide', checkpoint: 'serverSettings' },
      { screen: 'check' },
    ]);
    expect(onStep2.context.escalatedFrom).toEqual({ screen: 'guide', checkpoint: 'serverSettings' });
    const [elsewhere] = transition(troubleshootingMachine, transition(troubleshootingMachine, onStep2, { type: 'BACK' })[0], { type: 'ESCALATE' });
    expect([elsewhere.value, elsewhere.context.escalatedFrom]).toEqual(['confirmingEscalation', undefined]);
  });

  it('closes the case as solved from every screen that is still open, the escalation preview included', () => {
    for (const path of paths) {
      if (FINAL_STATES.includes(path.state.value as never)) continue;
      const [after] = transition(troubleshootingMachine, path.state, { type: 'WORKS_NOW' });
      expect({ from: path.state.value, to: after.value }).toEqual({ from: path.state.value, to: 'resolved' });
    }
  });

  it('starts over from anywhere with nothing kept', () => {
    const snapshot = run([{ type: 'SUBMIT_DETAILS', next: 'pick', fields: ON_PREMISES }, { type: 'PICK', checkpoint: 'connector' }, { type: 'START_OVER' }]);
    expect(snapshot.value).toBe('gathering');
    expect(snapshot.context).toEqual({ detailErrors: [], journal: [] });
  });
});
