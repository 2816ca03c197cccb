// The flow's graph, for tests: every event an admin can cause, and the states they lead to.
import { getShortestPaths } from 'xstate/graph';
import type { StatePath } from 'xstate/graph';
import { FINAL_STATES, type FlowEvent, type FlowStateName, troubleshootingMachine } from '../../src/flow/machine';
import type { FlowSnapshot } from '../../src/conversation/record';
import type { Diagnosis } from '../../src/flow/diagnosis';
import { CHECKPOINTS } from '../../src/flow/types';

export const ON_PREMISES = { protocol: 'pop3', version: '2016', server: 'EX01', mailbox: 'taro@contoso.com' };
export const ONLINE = { protocol: 'imap4', version: 'Online', mailbox: 'hanako@contoso.com' };

/** What a paste can show, as the flow keeps it: a step to fix, or nothing readable. */
export const DIAGNOSES: Diagnosis[] = [
  { source: 'casMailbox', finding: 'mailboxProtocolDisabled', checkpoint: 'mailbox', values: { field: 'PopEnabled', mailbox: 'Taro' } },
  { source: 'unknown', finding: 'unreadable', checkpoint: null, values: { reason: 'notRecognised' } },
];

export const EVENTS: FlowEvent[] = [
  ...[ON_PREMISES, ONLINE, { protocol: '', server: 'EX 01!' }].flatMap((fields) =>
    (['walk', 'pick', 'check'] as const).map((next): FlowEvent => ({ type: 'SUBMIT_DETAILS', fields, next })),
  ),
  ...CHECKPOINTS.map((checkpoint): FlowEvent => ({ type: 'PICK', checkpoint })),
  ...CHECKPOINTS.map((checkpoint): FlowEvent => ({ type: 'GO_TO', checkpoint })),
  ...(
    [
      'WORKS_NOW',
      'STILL_FAILING',
      'THIS_FAILED',
      'HAVE_ACCESS',
      'NO_ACCESS',
      'NOT_SURE',
      'WALK_STEPS',
      'TRY_ANOTHER',
      'WHICH_FAILED',
      'ESCALATE',
      'BACK',
      'START_OVER',
    ] as const
  ).map((type) => ({ type }) as FlowEvent),
  { type: 'CONFIRM_ESCALATION', note: 'Started after the certificate renewal' },
  { type: 'CHECK_SETTINGS' },
  { type: 'SHOW_FIX' },
  ...DIAGNOSES.map((diagnosis): FlowEvent => ({ type: 'DIAGNOSED', diagnosis })),
];

/** What makes two snapshots different screens: the state, the step or remedy shown, on-premises or online, a form error. */
export function screenKey(snapshot: FlowSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify({
    state: snapshot.value,
    step: snapshot.value === 'checkingStep' ? c.step : undefined,
    checkpoint: snapshot.value === 'showingRemedy' ? c.checkpoint : undefined,
    diagnosis: snapshot.value === 'checkingSettings' ? (c.diagnosis?.checkpoint ?? (c.diagnosis ? 'none' : undefined)) : undefined,
    online: c.details?.version === 'Online',
    formErrors: snapshot.value === 'gathering' && c.detailErrors.length > 0,
  });
}

export type FlowPath = StatePath<FlowSnapshot, FlowEvent>;

export function shortestPaths(fromState?: FlowSnapshot): FlowPath[] {
  return getShortestPaths(troubleshootingMachine, { events: EVENTS, serializeState: screenKey, ...(fromState ? { fromState } : {}) });
}

/** The quickest way from a snapshot to the end of the case, resolved or escalated. */
export function shortestWayOut(from: FlowSnapshot): FlowPath | undefined {
  return shortestPaths(from)
    // By state name: the graph walker reuses snapshot objects, so their `status` is not reliable here.
    .filter((p) => FINAL_STATES.includes(p.state.value as FlowStateName))
    .sort((a, b) => a.steps.length - b.steps.length)[0];
}
