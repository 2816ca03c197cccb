/** Type checking is `npm run typecheck`; jest only strips types, which keeps the suite fast. */
const project = { testEnvironment: 'node', roots: ['<rootDir>/test'], transform: { '^.+\\.ts$': 'ts-jest' } };

module.exports = {
  projects: [
    { ...project, displayName: 'botbuilder' },
    // The suites that speak to the bot over HTTP, the browser test and the proactive deliverers, again with
    // BOT_SDK=agents: the door, invokes, replies and posts to the help desk must behave the same on both SDKs.
    {
      ...project,
      displayName: 'agents',
      setupFiles: ['<rootDir>/test/support/agentsTransport.ts'],
      testMatch: ['<rootDir>/test/http/*.test.ts', '<rootDir>/test/e2e/*.test.ts', '<rootDir>/test/escalation/caseDelivery.test.ts'],
    },
  ],
  testTimeout: 20000,
  // jest's default on a 2-core machine is one worker, and most suites spend their time waiting on bot processes,
  // Azurite, a browser or a container build: two workers finish the whole run in far less time.
  maxWorkers: 2,
  // A failed beforeAll can leave a server listening; CI must still end instead of waiting forever.
  forceExit: true,
};
