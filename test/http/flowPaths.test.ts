// Every screen of the flow, reached over real Bot Framework HTTP the way an admin reaches it, and then
// driven on to the end of the case: no journey may end anywhere but resolved or escalated.
import { FINAL_STATES } from '../../src/flow/machine';
import { TeamsUser, useBot } from '../support/bot';
import { journeys, play } from '../support/journeys';

const all = journeys();

describe('the whole flow through the real bot', () => {
  const bot = useBot();

  it('has a journey for every screen', () => {
    expect(all.length).toBeGreaterThan(30);
  });

  it.each(all.map((j) => [j.name, j] as const))('%s', async (_name, journey) => {
    const end = await play(new TeamsUser(bot), journey, 'en');
    expect(FINAL_STATES).toContain(end.value);
  });
});
