// The jest project "agents" (jest.config.js): the same suites, with the bot on the Microsoft 365 Agents SDK.
// startBot reads BOT_SDK from here, and bot processes inherit it.
import vm from 'node:vm';

// The SDK reaches an ES module (jose, through jwks-rsa) that jest loads only with Node's VM modules.
if (typeof (vm as { SourceTextModule?: unknown }).SourceTextModule !== 'function') {
  throw new Error('The "agents" jest project needs Node 24.9+ with NODE_OPTIONS=--experimental-vm-modules: run `npm test`, or `npx jest --selectProjects=botbuilder` for the other project alone.');
}
process.env.BOT_SDK = 'agents';
