// The bot in a real browser: Microsoft 365 Agents Playground (a Teams-like chat that talks the Bot
// Framework protocol to the bot) in Debian's Chromium, driven the way an admin would use it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { type CaseFacts, CASE_FACTS_VERSION, caseFactsKey } from '../../src/insights/caseFacts';
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

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `count` cases that started `daysAgo` UTC days before today, all alike: counts only, as the flow keeps them.
 * Each starts at the day's midnight and was last touched now, so whatever the hour the test runs, each falls on
 * its own day of the week's report and the open one is still open, not abandoned. Escalated ones the help desk
 * took `takenAfter` minutes after they escalated.
 */
function casesOf(count: number, daysAgo: number, facts: Pick<CaseFacts, 'protocol' | 'version' | 'outcome' | 'failedAt' | 'solvedAt'>, takenAfter?: number): CaseFacts[] {
  const now = new Date().toISOString();
  const startedAt = new Date(Date.parse(`${now.slice(0, 10)}T00:00:00Z`) - daysAgo * DAY_MS).toISOString();
  return Array.from({ length: count }, (_, i) => ({
    v: CASE_FACTS_VERSION,
    caseId: `e2e-${daysAgo}-${facts.outcome}-${i}`,
    rev: 3,
    startedAt,
    updatedAt: now,
    language: 'en',
    ...facts,
    ...(facts.outcome === 'escalated' ? { escalatedAt: now } : {}),
    ...(takenAfter !== undefined ? { takenAt: new Date(Date.parse(now) + takenAfter * 60_000).toISOString() } : {}),
    ...(facts.outcome === 'solved' ? { solvedAtTime: now } : {}),
  }));
}

/** The welcome card's case details, filled in the way an admin does; what to do with them is the caller's. */
async function fillCaseDetails(page: Page): Promise<void> {
  await page.getByText('POP3', { exact: true }).first().click();
  await page.getByLabel('Exchange server name').first().fill('EX01');
  await page.getByLabel('Mailbox').first().fill('taro@contoso.com');
}

interface Playground {
  bot: BotUnderTest;
  browser: Browser;
  uiUrl: string;
}

/**
 * A bot of its own and a Playground talking to it, for one describe block. The Playground remembers its
 * simulated user across conversations, and the bot remembers that user's language: blocks that must not
 * inherit each other's choices each get their own.
 */
/**
 * Resolves once no element of the page has been added or removed for `quietMs` (or after 20 s): the Playground
 * redraws a channel's compose box while the channel loads, and on a busy machine a click can find the box
 * detached again and again until its own timeout.
 */
function domSettled(page: Page, quietMs = 500): Promise<void> {
  // Run in the page, as text: this project's types know no DOM.
  return page.evaluate(`new Promise((resolve) => {
    const done = () => { observer.disconnect(); clearTimeout(timer); clearTimeout(cap); resolve(); };
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, ${quietMs}); });
    let timer = setTimeout(done, ${quietMs});
    const cap = setTimeout(done, 20000);
    observer.observe(document.body, { subtree: true, childList: true });
  })`);
}

/**
 * Opens the team's General channel and answers its box for a new post, clicking again if the view went back to the
 * chat meanwhile: a click in a page still starting was lost in CI, and the channel's box never showed.
 */
async function openChannel(page: Page): Promise<Locator> {
  const newPost = page.getByRole('group').filter({ has: page.getByRole('button', { name: 'Post', exact: true }) });
  for (let attempt = 1; ; attempt++) {
    await page.getByRole('treeitem', { name: 'My Team - General' }).click();
    try {
      await newPost.getByRole('textbox').waitFor({ timeout: 10_000 });
      return newPost;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

function usePlayground(): Playground {
  const session = {} as Playground;
  let playground: ChildProcess | undefined;
  let workdir: string | undefined;

  beforeAll(async () => {
    session.bot = await startBot();
    const port = await freePortPair();
    workdir = mkdtempSync(path.join(os.tmpdir(), 'playground-'));
    playground = spawn(
      path.join(ROOT, 'node_modules/.bin/agentsplayground'),
      ['-e', `${session.bot.url}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'],
      { cwd: workdir, env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: 'ignore' },
    );
    session.uiUrl = `http://127.0.0.1:${port}/`;
    await waitFor('the Playground', () => fetch(session.uiUrl).then((r) => r.status < 500, () => false), 20_000);
    session.browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await session.browser?.close();
    playground?.kill('SIGTERM');
    await session.bot?.stop();
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });
  return session;
}

describe('the bot in Agents Playground, in Chromium', () => {
  const session = usePlayground();
  let page: Page;

  it('greets, takes the case, and hands back the step 1 commands after a few clicks', async () => {
    page = await session.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(session.uiUrl, { waitUntil: 'domcontentloaded' });
    await page.getByText('POP3 / IMAP4 troubleshooting').first().waitFor({ timeout: 20_000 });

    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-welcome.png') });
    await fillCaseDetails(page);
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

describe("the help-desk lead's report in Agents Playground, in Chromium", () => {
  const session = usePlayground();
  // Each page is a Playground session of its own (it installs the app afresh and starts empty chats), so the
  // channel registered in one page is there only in that page: the tests of this block share it.
  let lead: Page;

  it("answers the help-desk lead's \"report\" in the team channel with the week's counts", async () => {
    // Three days of cases, each with its own count, so every number on the card can only come from the store.
    const cases = [
      ...casesOf(3, 2, { protocol: 'pop3', version: '2019', outcome: 'solved', failedAt: 'service', solvedAt: 'service' }),
      ...casesOf(2, 1, { protocol: 'imap4', version: '2016', outcome: 'escalated', failedAt: 'connector' }, 25),
      ...casesOf(1, 0, { protocol: 'pop3', version: 'Online', outcome: 'open' }),
    ];

    // The Playground scrolls its chat inside the page, so a "full page" is the viewport: tall enough for the card.
    lead = await session.browser.newPage({ viewport: { width: 1400, height: 3000 } });
    await lead.goto(session.uiUrl, { waitUntil: 'domcontentloaded' });
    // The Playground simulates one team, "My Team", with the channels General and Announcements. It has
    // finished starting once its personal chat shows the bot's welcome.
    await lead.getByText('POP3 / IMAP4 troubleshooting').first().waitFor({ timeout: 20_000 });
    const newPost = await openChannel(lead);
    // In a channel, as in Teams, the bot hears only a post that @mentions it.
    const post = async (text: string) => {
      await domSettled(lead);
      await newPost.getByRole('textbox').click();
      await lead.keyboard.type('@Test');
      await lead.getByRole('listbox').getByText('Test Bot').click();
      await lead.keyboard.type(` ${text}`);
      await newPost.getByRole('button', { name: 'Post', exact: true }).click();
    };
    await post('register help desk');
    await lead.getByText('Done: escalations will now be posted in this channel.').first().waitFor({ timeout: 15_000 });
    // The cases are the Playground organisation's own: a help desk counts only its organisation's cases.
    const registered = await session.bot.app.store.read<{ tenantId?: string }>('helpdesk/teams-channel');
    const tenant = registered?.value.tenantId ? { tenantId: registered.value.tenantId } : {};
    for (const one of cases) await session.bot.app.store.write(caseFactsKey(one.caseId, one.startedAt), { ...one, ...tenant });
    await post('report');
    const title = lead.getByText(/POP3\/IMAP4 cases from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/).first();
    await title.waitFor({ timeout: 15_000 });
    await lead.getByText('Cases started: 6').first().waitFor();
    await lead.getByText('25 min', { exact: true }).first().waitFor();
    // The Playground draws the charts themselves (Fluent UI charts), not their fallback tables: each slice, bar
    // and point is an image whose accessible name carries the figure the lead reads off it.
    const figure = (name: string | RegExp) => lead.getByRole('img', { name, exact: true });
    for (const name of ['Solved with the bot, 3 out of 6, 50%', 'Escalated, 2 out of 6, 33.33%', 'Still open, 1 out of 6, 16.67%']) await expect(figure(name).count()).resolves.toBe(1);
    await expect(figure('POP3/IMAP4 service, 3').count()).resolves.toBe(1);
    await expect(figure('Receive connector, POP3, 0, IMAP4, 2').count()).resolves.toBe(1);
    await expect(figure('Exchange 2016, 2').count()).resolves.toBe(1);
    for (const [point, cases] of [[5, 3], [6, 2], [7, 1]]) await expect(figure(new RegExp(`^Point ${point}, Day=.+, Cases=${cases}$`)).count()).resolves.toBe(1);
    await lead.screenshot({ path: path.join(ARTIFACTS, 'playground-report.png'), fullPage: true });
  }, 90_000);

  it('posts an escalation as the case card in the channel registered above, and a click on Take shows who has it', async () => {
    // The Playground has one user of its own: the lead is also the admin in the personal chat and the member
    // who takes the case.
    const user = 'Alex Wilber';
    const page = lead;
    await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
    await fillCaseDetails(page);
    await page.getByRole('button', { name: 'Escalate', exact: true }).first().click();
    await page.getByRole('button', { name: 'Confirm escalation' }).first().click();
    const escalated = await page.getByRole('heading', { name: /^Escalated: ESC-/ }).first().textContent({ timeout: 15_000 });
    const id = /ESC-\d{8}-[0-9A-Z]{6}/.exec(escalated ?? '')![0];

    await openChannel(page);
    // The bot posted the card by itself, not in answer to anything typed in the channel.
    const card = (status: string) => page.locator('.ac-adaptiveCard').filter({ has: page.getByRole('heading', { name: `Escalation ${id}: ${status}`, exact: true }) });
    const open = card('Not taken yet');
    await open.waitFor({ timeout: 15_000 });
    expect(await open.innerText()).toMatch(/Owner\s+Nobody yet/);
    for (const title of ['Take', 'Ask the admin', 'With Microsoft', 'Resolved']) await expect(open.getByRole('button', { name: title, exact: true }).isVisible()).resolves.toBe(true);
    await open.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-helpdesk-card-open.png') });

    // What the clicker sees is the bot's answer to the click. The redraw in place for every other member
    // (updateActivity, which the Playground accepts) draws the same card: with one user, the two look alike.
    await open.getByRole('button', { name: 'Take', exact: true }).click();
    const taken = card('In progress');
    await taken.waitFor({ timeout: 15_000 });
    expect(await taken.innerText()).toMatch(new RegExp(`Owner\\s+${user}`));
    // Taken: the owner works it from here, so Take is gone and the rest stay.
    await expect(taken.getByRole('button', { name: 'Take', exact: true }).count()).resolves.toBe(0);
    for (const title of ['Ask the admin', 'With Microsoft', 'Resolved']) await expect(taken.getByRole('button', { name: title, exact: true }).isVisible()).resolves.toBe(true);
    await taken.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-helpdesk-card.png') });

    // And the admin hears of it in their own chat.
    await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
    await page.locator('.ac-adaptiveCard').getByText(`${user} at the help desk has taken your case ${id}.`, { exact: false }).waitFor({ timeout: 15_000 });
  }, 90_000);
});

