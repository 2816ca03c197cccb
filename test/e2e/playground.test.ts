// The bot in a real browser: Microsoft 365 Agents Playground (a Teams-like chat that talks the Bot
// Framework protocol to the bot) in Debian's Chromium, driven the way an admin would use it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { type BotUnderTest, startBot } from '../support/bot';
import { freePort, waitFor } from '../support/net';

const ROOT = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'artifacts');

async function freePortPair(): Promise<number> {
  // The Playground serves its UI on the port given and its connector on the next one.
  for (;;) {
    const port = (await freePort())!;
    if (port < 65000 && (await freePort(port + 1)) !== undefined) return port;
  }
}

describe('the bot in Agents Playground, in Chromium', () => {
  let bot: BotUnderTest;
  let playground: ChildProcess;
  let browser: Browser;
  let page: Page;
  let workdir: string;
  let uiUrl: string;

  beforeAll(async () => {
    bot = await startBot();
    const port = await freePortPair();
    workdir = mkdtempSync(path.join(os.tmpdir(), 'playground-'));
    playground = spawn(
      path.join(ROOT, 'node_modules/.bin/agentsplayground'),
      ['-e', `${bot.url}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'],
      { cwd: workdir, env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: 'ignore' },
    );
    uiUrl = `http://127.0.0.1:${port}/`;
    await waitFor('the Playground', () => fetch(uiUrl).then((r) => r.status < 500, () => false), 20_000);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    playground?.kill('SIGTERM');
    await bot?.stop();
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });

  it('greets, takes the case, and hands back the step 1 commands after a few clicks', async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(uiUrl, { waitUntil: 'domcontentloaded' });
    await page.getByText('POP3 / IMAP4 troubleshooting').first().waitFor({ timeout: 20_000 });

    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-welcome.png') });
    await page.getByText('POP3', { exact: true }).first().click();
    await page.getByLabel('Exchange server name').first().fill('EX01');
    await page.getByLabel('Mailbox').first().fill('taro@contoso.com');
    await page.getByRole('button', { name: 'Walk me through the steps' }).first().click();
    await page.getByText('First, the mail client').first().waitFor({ timeout: 15_000 });

    await page.getByRole('button', { name: 'Client matches, still failing' }).first().click();
    await page.getByText('Check your access').first().waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'I have these rights' }).first().click();
    await page.getByText('Step 1 of 4', { exact: false }).first().waitFor({ timeout: 15_000 });
    await page.getByText('MSExchangePOP3', { exact: false }).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-step1.png'), fullPage: true });

    // The card that was clicked was replaced: its question is no longer on screen.
    expect(await page.getByRole('button', { name: 'Walk me through the steps' }).count()).toBe(0);
  }, 90_000);

  it('switches to Japanese and shows the same step again', async () => {
    await page.getByRole('button', { name: '日本語' }).last().click();
    await page.getByText('ステップ 1/4', { exact: false }).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-step1-ja.png'), fullPage: true });
  }, 60_000);
});
