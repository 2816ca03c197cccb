// BOT_SDK picks the SDK under the bot: botbuilder by default, or the Microsoft 365 Agents SDK.
import type { Config } from '../config';
import type { Logger } from '../logging';
import { BotbuilderTransport } from './botbuilder';
import type { Transport } from './transport';

export function createTransport(config: Config, log: Logger): Transport {
  if (config.botSdk === 'botbuilder') return new BotbuilderTransport(config.identity, log);
  // Loaded only when chosen: the Agents SDK reaches an ES module (jose, through jwks-rsa) that a CommonJS
  // loader without require(esm) cannot load, and a botbuilder bot has no use for it.
  const { AgentsTransport } = require('./agents/agentsTransport') as typeof import('./agents/agentsTransport');
  return new AgentsTransport(config.identity, log);
}
