// The image the Dockerfile builds, built and run with podman as an operator would run it: the bot answers Teams
// through its connector, the image's own HEALTHCHECK tells ready from not, and the conversation outlives the
// container on its volume. No registry is reachable here, so the base is the local stand-in that
// scripts/container-base.sh builds from Debian's packages and the project's Node (README, "Run it in a container").
// Runs where podman is installed and the tests run as root (CI, through scripts/ensure-test-tools.sh).
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { type BotEndpoint, TeamsUser } from '../support/bot';
import { codeBlocks, title } from '../support/cards';
import { FakeConnector } from '../support/connector';
import { freePort, waitFor } from '../support/net';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const ENV = { ...process.env, CONTAINERS_CONF: path.join(__dirname, 'containers.conf') };
// A first run on a clean machine bootstraps Debian and downloads every package: minutes, more on busy cores.
const BUILD_LIMIT_MS = 30 * 60_000;
const START_LIMIT_MS = 60_000;

async function podman(...args: string[]): Promise<string> {
  const { stdout } = await run('podman', args, { cwd: ROOT, env: ENV, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** Rootful podman: the stand-in base needs debootstrap, which needs root. */
function podmanAvailable(): boolean {
  return process.getuid?.() === 0 && spawnSync('podman', ['--version']).status === 0;
}

const CASE = { protocol: 'imap4', version: '2019', server: 'EX01', mailbox: 'hanako@contoso.com', errorText: '' };
const suffix = `${process.pid}-${Date.now()}`;
const image = 'localhost/popimap-bot-test:latest';
const volume = `popimap-bot-test-data-${suffix}`;
const containers: string[] = [];

/** Starts the image the way the README runs it, with the test's connector reachable on loopback. */
async function startContainer(port: number, options: string[] = [], command: string[] = []): Promise<string> {
  const name = `popimap-bot-test-${suffix}-${containers.length}`;
  containers.push(name);
  // The host's network: a bot without credentials listens and replies on loopback only, and this is the
  // loopback where the test and its connector are.
  await podman('run', '--detach', '--pull=never', '--name', name, '--network=host', '--env', `PORT=${port}`, '--volume', `${volume}:/data`, ...options, image, ...command);
  return name;
}

async function answers(url: string): Promise<boolean> {
  return fetch(url).then(
    (response) => response.ok,
    () => false,
  );
}

// A machine behind a proxy that inspects TLS (this one) gives Node the proxy's CA; the build's npm needs it too.
const proxyCa = process.env.NODE_EXTRA_CA_CERTS
  ? ['--volume', `${process.env.NODE_EXTRA_CA_CERTS}:/run/build-ca.pem:ro`, '--build-arg', 'NODE_EXTRA_CA_CERTS=/run/build-ca.pem']
  : [];

/**
 * Builds the Dockerfile (up to `target`) under a fixed tag and drops the build it replaces: the tagged images
 * hold the layer cache, so a run with the same lock file skips npm ci, and older builds do not pile up.
 */
async function build(base: string, tag: string, target: string[] = []): Promise<void> {
  const before = await podman('image', 'inspect', '--format', '{{.Id}}', tag).catch(() => '');
  // Docker's image format: OCI's has no HEALTHCHECK. npm ci reaches the registry through the host's network.
  await podman('build', '--pull=never', '--format', 'docker', '--network=host', ...proxyCa, '--build-arg', `BASE_IMAGE=${base}`, ...target, '--tag', tag, '.');
  const after = await podman('image', 'inspect', '--format', '{{.Id}}', tag);
  if (before && before !== after) await podman('rmi', before).catch(() => undefined);
}

const describeWithPodman = podmanAvailable() ? describe : describe.skip;

describeWithPodman('the container image', () => {
  beforeAll(async () => {
    const base = (await run('bash', ['scripts/container-base.sh'], { cwd: ROOT, env: ENV, maxBuffer: 64 * 1024 * 1024 })).stdout.trim().split('\n').pop()!;
    await build(base, 'localhost/popimap-bot-test:build-stage', ['--target', 'build']);
    await build(base, image);
    await podman('volume', 'create', volume);
  }, BUILD_LIMIT_MS);

  afterAll(async () => {
    for (const name of containers) await podman('rm', '--force', '--time', '0', name).catch(() => undefined);
    await podman('volume', 'rm', '--force', volume).catch(() => undefined);
  }, 60_000);

  it('runs as the unprivileged node user, with the production dependencies only', async () => {
    expect(await podman('image', 'inspect', '--format', '{{.Config.User}}', image)).toBe('node');
    expect(await podman('run', '--rm', '--pull=never', '--network=none', image, 'id', '-u')).toBe('1000');
    const installed = await podman(
      'run', '--rm', '--pull=never', '--network=none', image, 'node', '-e',
      "console.log(['botbuilder', 'restify', 'pino', 'typescript', 'jest', 'azurite', 'playwright-core'].filter((p) => require('fs').existsSync('node_modules/' + p)).join(' '))",
    );
    expect(installed).toBe('botbuilder restify pino');
  }, START_LIMIT_MS);

  it('answers Teams through its connector, turns healthy, and keeps the conversation on its volume in a new container', async () => {
    const connector = new FakeConnector();
    const serviceUrl = await connector.start();
    const port = (await freePort())!;
    const bot: BotEndpoint = { url: `http://127.0.0.1:${port}`, connector, serviceUrl };
    try {
      const first = await startContainer(port);
      await waitFor('the bot in the container answering /healthz', () => answers(`${bot.url}/healthz`), START_LIMIT_MS);

      // The image's own HEALTHCHECK, run now rather than on the engine's timer.
      await podman('healthcheck', 'run', first);
      expect(await podman('inspect', '--format', '{{.State.Health.Status}}', first)).toBe('healthy');

      const user = new TeamsUser(bot);
      const [greeting] = await user.joins();
      expect(title(greeting!)).toBe('POP3 / IMAP4 troubleshooting');
      await user.click('details', { next: 'walk' }, CASE);
      const accessQuestion = await user.click('stillFailing');

      // Stopped as an orchestrator stops it (SIGTERM), removed, and a new container started on the same volume.
      await podman('stop', '--time', '20', first);
      const logs = await podman('logs', first);
      for (const line of logs.split('\n')) expect(() => JSON.parse(line)).not.toThrow();
      expect(logs).toContain('"signal":"SIGTERM"');
      await podman('rm', first);
      await startContainer(port);
      await waitFor('the new container answering /healthz', () => answers(`${bot.url}/healthz`), START_LIMIT_MS);

      const sameUser = new TeamsUser(bot, { conversationId: user.conversationId });
      const step1 = await sameUser.click('haveAccess', {}, {}, accessQuestion);
      expect(title(step1)).toMatch(/^Step 1 of 4/);
      expect(codeBlocks(step1).join('\n')).toContain('MSExchangeIMAP4');
    } finally {
      await connector.stop();
    }
  }, 3 * START_LIMIT_MS);

  it('reports unhealthy, saying why in the health log, when nothing answers its readiness route', async () => {
    const port = (await freePort())!;
    // The image's health check in a container whose process is not the bot: nothing listens on the port.
    const name = await startContainer(port, [], ['node', '-e', 'setInterval(() => {}, 60_000)']);
    await expect(podman('healthcheck', 'run', name)).rejects.toMatchObject({ stdout: 'unhealthy\n' });
    const checks = JSON.parse(await podman('inspect', '--format', '{{json .State.Health.Log}}', name)) as Array<{ ExitCode: number; Output: string }>;
    expect(checks.at(-1)).toMatchObject({ ExitCode: 1 });
    expect(JSON.parse(checks.at(-1)!.Output)).toMatchObject({
      url: `http://127.0.0.1:${port}/readyz`,
      reason: 'ECONNREFUSED',
      msg: expect.stringContaining('did not answer its readiness check'),
    });
  }, START_LIMIT_MS);
});
