// The flow's transitions share one inert scope instead of xstate's actor per call (nextSnapshot): every path
// the admin can take must land where xstate's own pure transition() lands, whatever ran through the scope before;
// and a snapshot that moved is one can() accepts, which the turn relies on to skip asking can() first.
import { initialTransition, transition } from 'xstate';
import { initialSnapshot, nextSnapshot, troubleshootingMachine } from '../../src/flow/machine';
import { EVENTS, shortestPaths } from '../support/flowModel';

const seen = (snapshot: ReturnType<typeof initialSnapshot>) => ({ value: snapshot.value, context: snapshot.context, status: snapshot.status });

it('starts where initialTransition() starts', () => {
  expect(seen(initialSnapshot())).toEqual(seen(initialTransition(troubleshootingMachine)[0]));
});

it('takes every path, and every event from each screen on it, to the snapshot transition() gives', () => {
  const paths = shortestPaths();
  expect(paths.length).toBeGreaterThan(20);
  let compared = 0;
  for (const path of paths) {
    let theirs = initialTransition(troubleshootingMachine)[0];
    let mine = initialSnapshot();
    for (const { event } of path.steps) {
      if ((event.type as string) === 'xstate.init') continue;
      // Every event from here, not only the path's: refused ones must leave the snapshot as xstate leaves it too.
      for (const other of EVENTS) {
        const next = nextSnapshot(mine, other);
        expect(seen(next)).toEqual(seen(transition(troubleshootingMachine, theirs, other)[0]));
        // The turn asks can() only of a snapshot that stayed: one that moved must be one xstate accepts.
        if (next !== mine) expect(mine.can(other)).toBe(true);
        compared += 1;
      }
      theirs = transition(troubleshootingMachine, theirs, event)[0];
      mine = nextSnapshot(mine, event);
      expect(seen(mine)).toEqual(seen(theirs));
    }
  }
  expect(compared).toBeGreaterThan(1000);
});
