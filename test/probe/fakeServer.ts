// Small scripted servers for what Dovecot will not do on request: stay silent, hang up, greet as SMTP,
// speak only TLS 1.1, inject plaintext after STARTTLS. Each one records every line a client sent it,
// decrypted after a TLS upgrade, so a test can prove what the probe did (and did not) say.
import net from 'node:net';
import tls from 'node:tls';

export interface FakeConnection {
  send(...lines: string[]): void;
  /** Sends raw bytes, e.g. an unterminated line. */
  write(data: string): void;
  /** Answers the client's TLS handshake on this connection (STLS / STARTTLS). */
  upgrade(): void;
  end(): void;
  destroy(): void;
  closed(): boolean;
}

export type Script = {
  onConnect?(connection: FakeConnection): void;
  onLine?(line: string, connection: FakeConnection): void;
};

export interface FakeServer {
  host: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Every line received, in order, over all connections. */
  received: string[];
  close(): Promise<void>;
}

export interface FakeOptions {
  host?: string;
  /** Key and certificate for STARTTLS upgrades and for implicit TLS. */
  credentials?: { key: string; cert: string };
  /** TLS from the first byte, with these options added to the credentials. */
  implicitTls?: tls.TlsOptions;
}

export async function startFakeServer(script: Script, options: FakeOptions = {}): Promise<FakeServer> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;

  const serve = (socket: net.Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let stream: net.Socket | tls.TLSSocket = socket;
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n')) {
        const line = pending.slice(0, end).replace(/\r$/, '');
        pending = pending.slice(end + 1);
        received.push(line);
        script.onLine?.(line, connection);
      }
    };
    const connection: FakeConnection = {
      send: (...lines) => stream.write(lines.map((line) => `${line}\r\n`).join('')),
      write: (data) => stream.write(data),
      upgrade: () => {
        if (!options.credentials) throw new Error('this fake server has no certificate');
        stream.off('data', onData);
        const secure = new tls.TLSSocket(stream, { isServer: true, ...options.credentials });
        secure.on('error', () => undefined);
        secure.on('data', onData);
        stream = secure;
      },
      end: () => stream.end(),
      destroy: () => socket.destroy(),
      closed: () => socket.destroyed,
    };
    stream.on('data', onData);
    script.onConnect?.(connection);
  };

  const server = options.implicitTls
    ? tls.createServer({ ...options.credentials, ...options.implicitTls }, serve)
    : net.createServer(serve);
  server.on('tlsClientError', () => undefined);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port on `host` that nothing listens on (it was free a moment ago). */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Plain POP3 up to STLS, then the same over TLS; offers USER and SASL PLAIN in clear, like LoginType PlainTextLogin. */
export const pop3WithPlaintextLogin: Script = {
  onConnect: (c) => c.send('+OK The Microsoft Exchange POP3 service is ready.'),
  onLine: (line, c) => {
    const command = line.toUpperCase();
    if (command === 'CAPA') c.send('+OK', 'TOP', 'UIDL', 'SASL NTLM GSSAPI PLAIN', 'USER', 'STLS', '.');
    else if (command === 'STLS') {
      c.send('+OK Begin TLS negotiation');
      c.upgrade();
    } else if (command === 'QUIT') {
      c.send('+OK Microsoft Exchange Server POP3 server signing off.');
      c.end();
    } else c.send('-ERR Command is not valid in this state.');
  },
};

/** IMAP4 with STARTTLS but without LOGINDISABLED: LOGIN would work before TLS. */
export const imapWithPlaintextLogin: Script = {
  onConnect: (c) => c.send('* OK The Microsoft Exchange IMAP4 service is ready.'),
  onLine: (line, c) => {
    const [tag, command] = line.split(' ');
    if (command?.toUpperCase() === 'CAPABILITY') c.send('* CAPABILITY IMAP4 IMAP4rev1 AUTH=NTLM AUTH=GSSAPI AUTH=PLAIN STARTTLS UIDPLUS IDLE', `${tag} OK CAPABILITY completed.`);
    else if (command?.toUpperCase() === 'STARTTLS') {
      c.send(`${tag} OK Begin TLS negotiation now.`);
      c.upgrade();
    } else if (command?.toUpperCase() === 'LOGOUT') {
      c.send('* BYE Microsoft Exchange Server IMAP4 server signing off.', `${tag} OK LOGOUT completed.`);
      c.end();
    } else c.send(`${tag} BAD Command received in Invalid state.`);
  },
};
