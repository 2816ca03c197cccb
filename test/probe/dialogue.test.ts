// The pure parts of the conversation: reading greetings and capabilities, bounded line reading, and
// the certificate's alternative names.
import { PassThrough } from 'node:stream';
import { altNamesOf } from '../../src/probe/certificate';
import { type Channel, classifyGreeting, plaintextLoginOffered, printable, readCapabilities, requestStarttls, starttlsOffered } from '../../src/probe/dialogue';
import { ProbeFailure } from '../../src/probe/failure';
import { LineReader, splitLines } from '../../src/probe/lineReader';

/** A channel that answers from a script and records what was sent. */
function scripted(answers: string[]): Channel & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    send: (line) => sent.push(line),
    beginResponse: () => undefined,
    readLine: async (stage) => {
      const line = answers.shift();
      if (line === undefined) throw new ProbeFailure('protocol', stage, 'the server closed the connection', 'closed');
      return line;
    },
  };
}

describe('greetings', () => {
  it.each([
    ['pop3', '+OK The Microsoft Exchange POP3 service is ready.', 'ok'],
    ['pop3', '+ok lower case', 'ok'],
    ['pop3', '-ERR Connection is refused.', 'rejected'],
    ['pop3', '* OK The Microsoft Exchange IMAP4 service is ready.', 'otherMailProtocol'],
    ['pop3', '220 smtp ready', 'unrecognised'],
    ['pop3', '+OKAY', 'unrecognised'],
    ['imap4', '* OK [CAPABILITY IMAP4rev1] Dovecot ready.', 'ok'],
    ['imap4', '* PREAUTH ready', 'ok'],
    ['imap4', '* BYE Connection is closed. 13', 'rejected'],
    ['imap4', '+OK Dovecot ready.', 'otherMailProtocol'],
    ['imap4', 'HTTP/1.1 400 Bad Request', 'unrecognised'],
  ] as const)('%s %j is %s', (protocol, line, kind) => {
    expect(classifyGreeting(protocol, line)).toBe(kind);
  });

  it('keeps banners to one printable, bounded line', () => {
    expect(printable('+OK \u001b[31mred\u0007')).toBe('+OK ?[31mred?');
    expect(printable('x'.repeat(600))).toHaveLength(513);
  });
});

describe('capabilities', () => {
  it('reads a POP3 CAPA listing, undoing dot-stuffing', async () => {
    const channel = scripted(['+OK', 'TOP', 'USER', '..odd', 'STLS', '.']);
    expect(await readCapabilities(channel, 'pop3', 'a1', 'capabilities')).toEqual(['TOP', 'USER', '.odd', 'STLS']);
    expect(channel.sent).toEqual(['CAPA']);
  });

  it('takes a POP3 server without CAPA as one that lists nothing', async () => {
    expect(await readCapabilities(scripted(['-ERR unknown command']), 'pop3', 'a1', 'capabilities')).toEqual([]);
  });

  it('reads IMAP CAPABILITY, skipping other untagged lines', async () => {
    const channel = scripted(['* OK [ALERT] hello', '* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED', 'a1 OK done']);
    expect(await readCapabilities(channel, 'imap4', 'a1', 'capabilities')).toEqual(['IMAP4rev1', 'STARTTLS', 'LOGINDISABLED']);
    expect(channel.sent).toEqual(['a1 CAPABILITY']);
  });

  it('rejects an IMAP answer that is neither tagged nor untagged', async () => {
    await expect(readCapabilities(scripted(['+OK what']), 'imap4', 'a1', 'capabilities')).rejects.toMatchObject({ kind: 'protocol', stage: 'capabilities' });
  });

  it.each([
    ['pop3', ['TOP', 'STLS'], true, false],
    ['pop3', ['USER', 'stls'], true, true],
    ['pop3', ['SASL NTLM PLAIN'], false, true],
    ['pop3', ['SASL GSSAPI NTLM'], false, false],
    ['imap4', ['IMAP4rev1', 'STARTTLS', 'LOGINDISABLED'], true, false],
    ['imap4', ['IMAP4rev1', 'STARTTLS'], true, true],
    ['imap4', ['IMAP4rev1', 'LOGINDISABLED', 'AUTH=PLAIN'], false, true],
  ] as const)('%s %j: STARTTLS offered %s, plaintext login %s', (protocol, capabilities, starttls, plaintext) => {
    expect(starttlsOffered(protocol, capabilities)).toBe(starttls);
    expect(plaintextLoginOffered(protocol, capabilities)).toBe(plaintext);
  });

  it('reports a refused STARTTLS as a TLS failure with the server’s words', async () => {
    await expect(requestStarttls(scripted(['a2 NO [UNAVAILABLE] no certificate']), 'imap4', 'a2')).rejects.toMatchObject({
      kind: 'tls',
      stage: 'starttls',
      message: expect.stringContaining('no certificate'),
    });
  });
});

describe('LineReader', () => {
  it('splits CRLF and bare LF lines and keeps the unfinished rest', () => {
    const { lines, rest } = splitLines(Buffer.from('+OK a\r\nTOP\nUS'));
    expect(lines.map(String)).toEqual(['+OK a', 'TOP']);
    expect(String(rest)).toBe('US');
  });

  it('reads lines that arrive in pieces', async () => {
    const stream = new PassThrough();
    const reader = new LineReader();
    reader.attach(stream);
    stream.write('+OK Dove');
    setTimeout(() => stream.write('cot ready.\r\nCAPA\r\n'), 10);
    expect(await reader.readLine('greeting', 1000)).toBe('+OK Dovecot ready.');
    expect(await reader.readLine('capabilities', 1000)).toBe('CAPA');
    expect(reader.hasUnread).toBe(false);
  });

  it('times out, and reports a closed stream as closed', async () => {
    const stream = new PassThrough();
    const reader = new LineReader();
    reader.attach(stream);
    await expect(reader.readLine('greeting', 50)).rejects.toMatchObject({ kind: 'timeout', stage: 'greeting' });
    stream.end();
    await expect(reader.readLine('greeting', 1000)).rejects.toMatchObject({ kind: 'protocol', code: 'closed' });
  });

  it('caps a response by lines and bytes, and the session by bytes', async () => {
    const limits = { maxResponseBytes: 100, maxResponseLines: 3, maxSessionBytes: 1000 };
    const lines = new PassThrough();
    const byLines = new LineReader(limits);
    byLines.attach(lines);
    lines.write('a\r\nb\r\nc\r\nd\r\n');
    byLines.beginResponse();
    for (let i = 0; i < 3; i += 1) await byLines.readLine('capabilities', 100);
    await expect(byLines.readLine('capabilities', 100)).rejects.toMatchObject({ code: 'tooLong' });

    const longLine = new PassThrough();
    const byBytes = new LineReader(limits);
    byBytes.attach(longLine);
    longLine.write('x'.repeat(101));
    await expect(byBytes.readLine('greeting', 100)).rejects.toMatchObject({ code: 'tooLong' });

    const flood = new PassThrough();
    const bySession = new LineReader(limits);
    bySession.attach(flood);
    for (let i = 0; i < 30; i += 1) flood.write(`${'y'.repeat(48)}\r\n`);
    await new Promise((resolve) => setImmediate(resolve));
    await expect(bySession.readLine('greeting', 100)).rejects.toMatchObject({ code: 'tooLong' });
  });
});

describe('altNamesOf', () => {
  it('lists DNS and IP names in a short form', () => {
    expect(altNamesOf('DNS:mail.contoso.com, DNS:autodiscover.contoso.com, IP Address:192.0.2.10')).toEqual([
      'DNS:mail.contoso.com',
      'DNS:autodiscover.contoso.com',
      'IP:192.0.2.10',
    ]);
    expect(altNamesOf(undefined)).toEqual([]);
  });
});
