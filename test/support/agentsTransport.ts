// The jest project "agents" (jest.config.js): the same suites, with the bot on the Microsoft 365 Agents SDK.
// startBot reads BOT_SDK from here, and bot processes inherit it. The SDK reaches an ES module (jose) that
// jest loads only with Node's VM modules (Node 24.9+, --experimental-vm-modules, as `npm test` runs it).
process.env.BOT_SDK = 'agents';
