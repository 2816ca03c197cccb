// The full bot alone in its own process, for the memory figure: `node --expose-gc bench/serve.mts <db>`.
// Prints its URL, and answers GET /bench/memory with process.memoryUsage() after a full collection.
import { startFullBot } from './targets.mts';

const bot = await startFullBot(process.argv[2]!);
bot.app.server.get('/bench/memory', async (_req, res) => {
  (globalThis as { gc?: () => void }).gc?.();
  res.json(process.memoryUsage());
});
process.stdout.write(`${bot.url}\n`);
process.on('SIGTERM', () => void bot.stop().then(() => process.exit(0)));
