// A real Dovecot 2.3 as the POP3/IMAP4 peer of the live-probe tests, with certificates made for the run.
// Install it with `bash scripts/ensure-test-tools.sh`.
//
// Dovecot treats a connection as secured when the client's address equals its own, and then offers
// plaintext login regardless of `disable_plaintext_auth`. It therefore listens on 127.0.0.2 only: the
// kernel gives our connections the source 127.0.0.1, so Dovecot behaves as it would for a remote client.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { portOpen, waitFor } from './net';

export const DOVECOT_HOST = '127.0.0.2';

function dovecotBinary(): string {
  const found = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((candidate) => existsSync(candidate));
  if (!found) throw new Error('Dovecot is not installed; run: bash scripts/ensure-test-tools.sh');
  return found;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface KeyPair {
  certPath: string;
  keyPath: string;
  pem: string;
}

export interface TestCertificates {
  /** The CA that signed every certificate below: pass it as the probe's `ca` to trust them. */
  ca: KeyPair;
  /** CN and SAN 127.0.0.2, valid for a year. */
  good: KeyPair;
  /** CN and SAN mail.contoso.com: the wrong name for 127.0.0.2. */
  wrongName: KeyPair;
  /** CN and SAN 127.0.0.2, valid only in January 2024. */
  expired: KeyPair;
  remove(): void;
}

// OpenSSL 3.0 (Debian 12) cannot back-date with `req -x509` or `x509` (`-not_before` came in 3.4), but
// `openssl ca` accepts -startdate/-enddate: so every leaf is signed by a throw-away CA, which also makes
// "trusted" a real chain check rather than a pinned self-signed certificate.
export function createCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'probe-certs-'));
  mkdirSync(path.join(dir, 'issued'));
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '1000\n');
  writeFileSync(
    path.join(dir, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = test_ca',
      '[ test_ca ]',
      `database = ${dir}/index.txt`,
      `new_certs_dir = ${dir}/issued`,
      `serial = ${dir}/serial`,
      'default_md = sha256',
      'policy = any_name',
      'copy_extensions = copy',
      'unique_subject = no',
      '[ any_name ]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const pair = (name: string): KeyPair => {
    const certPath = path.join(dir, `${name}.pem`);
    return { certPath, keyPath: path.join(dir, `${name}.key`), get pem() { return readFileSync(certPath, 'utf8'); } };
  };
  const ca = pair('ca');
  openssl(['req', '-x509', ...ec, '-keyout', ca.keyPath, '-out', ca.certPath, '-days', '30', '-subj', '/CN=Probe Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const leaf = (name: string, cn: string, san: string, validity: string[]): KeyPair => {
    const made = pair(name);
    const csr = path.join(dir, `${name}.csr`);
    openssl(['req', '-new', ...ec, '-keyout', made.keyPath, '-out', csr, '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${san}`], dir);
    openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', ca.certPath, '-keyfile', ca.keyPath, '-in', csr, '-out', made.certPath, '-notext', ...validity], dir);
    return made;
  };
  return {
    ca,
    good: leaf('good', DOVECOT_HOST, `IP:${DOVECOT_HOST}`, ['-days', '365']),
    wrongName: leaf('wrong-name', 'mail.contoso.com', 'DNS:mail.contoso.com', ['-days', '365']),
    expired: leaf('expired', DOVECOT_HOST, `IP:${DOVECOT_HOST}`, ['-startdate', '20240101000000Z', '-enddate', '20240201000000Z']),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface DovecotOptions {
  /** The certificate for STARTTLS and the implicit-TLS ports; null runs with `ssl = no`. */
  certificate: KeyPair | null;
  /** Sets `disable_plaintext_auth = no`, Dovecot's equivalent of Exchange's LoginType PlainTextLogin. */
  plaintextAuth?: boolean;
}

export interface Dovecot {
  host: string;
  /** pop3s and imaps are absent when the server runs without TLS. */
  ports: { pop3: number; imap: number; pop3s?: number; imaps?: number };
  log(): string;
  stop(): Promise<void>;
}

/** Free ports on the Dovecot address, all held until the last is found so none is handed out twice. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, DOVECOT_HOST, () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function config(dir: string, ports: Dovecot['ports'], options: DovecotOptions): string {
  const tls = options.certificate;
  // The built-in pop3s/imaps listeners exist even when not configured and default to 995/993: without
  // TLS they are switched off with port 0, otherwise moved to free ports.
  const listener = (name: string, port: number | undefined, ssl: boolean) =>
    [`  inet_listener ${name} {`, `    port = ${port ?? 0}`, ...(ssl ? ['    ssl = yes'] : []), '  }'];
  const nonRoot = process.getuid?.() !== 0;
  const user = os.userInfo().username;
  const group = nonRoot ? execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim() : '';
  return [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = pop3 imap',
    `listen = ${DOVECOT_HOST}`,
    ...(tls ? ['ssl = yes', `ssl_cert = <${tls.certPath}`, `ssl_key = <${tls.keyPath}`] : ['ssl = no']),
    `disable_plaintext_auth = ${options.plaintextAuth ? 'no' : 'yes'}`,
    'auth_mechanisms = plain login',
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${dir}/users`,
    '}',
    'userdb {',
    '  driver = static',
    `  args = uid=${nonRoot ? user : 65534} gid=${nonRoot ? group : 65534} home=${dir}/mail/%u`,
    '}',
    'mail_location = maildir:~/Maildir',
    // As an ordinary user Dovecot can neither switch users nor chroot its login processes.
    ...(nonRoot
      ? [`default_internal_user = ${user}`, `default_internal_group = ${group}`, `default_login_user = ${user}`, 'service anvil {', '  chroot =', '}']
      : []),
    'service pop3-login {',
    ...(nonRoot ? ['  chroot ='] : []),
    ...listener('pop3', ports.pop3, false),
    ...listener('pop3s', ports.pop3s, true),
    '}',
    'service imap-login {',
    ...(nonRoot ? ['  chroot ='] : []),
    ...listener('imap', ports.imap, false),
    ...listener('imaps', ports.imaps, true),
    '}',
    '',
  ].join('\n');
}

export async function startDovecot(options: DovecotOptions): Promise<Dovecot> {
  const binary = dovecotBinary();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dovecot-'));
  // mkdtemp makes the directory private to us; Dovecot's unprivileged processes must reach into it.
  chmodSync(dir, 0o755);
  const [pop3, imap, pop3s, imaps] = await freePorts(4);
  const ports: Dovecot['ports'] = options.certificate ? { pop3: pop3!, imap: imap!, pop3s: pop3s!, imaps: imaps! } : { pop3: pop3!, imap: imap! };
  // A mailbox exists so that the server is a realistic one; the probe never logs in to it.
  writeFileSync(path.join(dir, 'users'), 'alice:{PLAIN}not-a-real-secret::::::\n');
  const conf = path.join(dir, 'dovecot.conf');
  writeFileSync(conf, config(dir, ports, options));

  let stderr = '';
  const child = spawn(binary, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const log = () => (existsSync(path.join(dir, 'dovecot.log')) ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : '');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(forced);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `Dovecot on ${DOVECOT_HOST}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`Dovecot exited with code ${child.exitCode}: ${stderr}${log()}`);
        const open = await Promise.all(Object.values(ports).map((port) => portOpen(port, DOVECOT_HOST)));
        return open.every(Boolean);
      },
      10_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: DOVECOT_HOST, ports, log, stop };
}
