import { type BotUnderTest, post, useBot } from '../support/bot';

function activity(bot: BotUnderTest, conversation: string, extra: Record<string, unknown>) {
  return { channelId: 'msteams', serviceUrl: bot.serviceUrl, conversation: { id: conversation }, from: { id: 'u' }, recipient: { id: 'b' }, ...extra };
}

describe('the HTTP endpoint', () => {
  const bot = useBot();

  it('answers the health probe', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('rejects a body that is not JSON with 400 and a reason', async () => {
    const result = await post(bot.url, '{"type": "message", ');
    expect(result.status).toBe(400);
  });

  it('rejects an activity without a type', async () => {
    const result = await post(bot.url, { text: 'hello' });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ code: 'InvalidActivity' });
  });

  it('rejects a JSON array', async () => {
    expect((await post(bot.url, [1, 2])).status).toBe(400);
  });

  it('refuses an oversized body with 413', async () => {
    const result = await post(bot.url, { type: 'message', text: 'x'.repeat(300 * 1024) });
    expect(result.status).toBe(413);
  });

  it('accepts and ignores activity types it has nothing to say to', async () => {
    const before = bot.connector.sent.length;
    const result = await post(bot.url, activity(bot, 'c-typing', { type: 'typing' }));
    expect(result.status).toBe(200);
    expect(bot.connector.sent.length).toBe(before);
  });

  it('answers an unknown invoke with 400 instead of failing', async () => {
    const result = await post(
      bot.url,
      activity(bot, 'c-invoke', { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Submit' } } }),
    );
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ statusCode: 400 });
  });
});

describe('with app credentials configured', () => {
  const bot = useBot({
      env: { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: '00000000-0000-0000-0000-000000000002' },
    });

  it('rejects an activity without a Bot Framework token with 401', async () => {
    const result = await post(bot.url, activity(bot, 'c-auth', { type: 'message', text: 'hello' }));
    expect(result.status).toBe(401);
    expect(bot.connector.sent).toHaveLength(0);
  });
});
