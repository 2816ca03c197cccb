import { formatEntry, isAllowed, normalizeHost, parseAllowList, probeEnabled } from '../../src/probe';

describe('parseAllowList', () => {
  it('reads host:port pairs: names in lower case, IPv4, bracketed IPv6', () => {
    expect(parseAllowList('Mail.Contoso.com:995,ex01.contoso.com:110, 127.0.0.2:11143 [::1]:993')).toEqual([
      { host: 'mail.contoso.com', port: 995 },
      { host: 'ex01.contoso.com', port: 110 },
      { host: '127.0.0.2', port: 11143 },
      { host: '::1', port: 993 },
    ]);
  });

  it('stores IPv6 in one canonical spelling, and drops duplicates', () => {
    expect(parseAllowList('[2001:DB8:0:0::1]:995,[2001:db8::1]:995')).toEqual([{ host: '2001:db8::1', port: 995 }]);
  });

  it('accepts ports 1 and 65535, a trailing dot and a trailing comma', () => {
    expect(parseAllowList('a.example:1,b.example.:65535,')).toEqual([
      { host: 'a.example', port: 1 },
      { host: 'b.example', port: 65535 },
    ]);
  });

  it.each(['', '  ', undefined, ' , '])('an empty list (%j) turns the probe off', (text) => {
    const list = parseAllowList(text);
    expect(list).toEqual([]);
    expect(probeEnabled(list)).toBe(false);
  });

  it.each([
    ['mail.contoso.com', 'no host:port'],
    ['mail.contoso.com:', 'port must be 1-65535'],
    ['mail.contoso.com:0', 'port must be 1-65535'],
    ['mail.contoso.com:65536', 'port must be 1-65535'],
    ['mail.contoso.com:99x', 'port must be 1-65535'],
    ['mail.contoso.com:-1', 'port must be 1-65535'],
    ['*.contoso.com:995', 'wildcards are not allowed'],
    ['mail.contoso.com:*', 'wildcards are not allowed'],
    ['*', 'wildcards are not allowed'],
    ['::1:993', 'IPv6 addresses need brackets'],
    ['[::1]', 'no host:port'],
    ['[mail.contoso.com]:995', 'only IPv6 addresses go in brackets'],
    ['mail_box.contoso.com:995', 'bad host'],
    ['-mail.contoso.com:995', 'bad host'],
    ['mail..contoso.com:995', 'bad host'],
    ['127.1:110', 'bad host'],
    ['999.0.0.1:110', 'bad host'],
    ['http://mail.contoso.com:995', 'no host:port'],
  ])('rejects %j (%s), naming the entry and the expected form', (entry, why) => {
    expect(() => parseAllowList(`good.contoso.com:995,${entry}`)).toThrow(`Allow-list entry "${entry}" is not valid (${why}): expected host:port`);
  });
});

describe('isAllowed', () => {
  const list = parseAllowList('mail.contoso.com:995,127.0.0.2:11143,[2001:db8::1]:993');

  it('matches host names without regard to case, and the exact port only', () => {
    expect(isAllowed(list, 'MAIL.contoso.COM', 995)).toBe(true);
    expect(isAllowed(list, 'mail.contoso.com.', 995)).toBe(true);
    expect(isAllowed(list, 'mail.contoso.com', 110)).toBe(false);
    expect(isAllowed(list, 'mail2.contoso.com', 995)).toBe(false);
    expect(isAllowed(list, 'contoso.com', 995)).toBe(false);
  });

  it('matches addresses in any spelling of the same address, and nothing else', () => {
    expect(isAllowed(list, '127.0.0.2', 11143)).toBe(true);
    expect(isAllowed(list, '127.0.0.1', 11143)).toBe(false);
    expect(isAllowed(list, '2001:db8:0::1', 993)).toBe(true);
    expect(isAllowed(list, '[2001:db8::1]', 993)).toBe(true);
    expect(isAllowed(list, '2001:db8::2', 993)).toBe(false);
  });

  it('refuses what is not a host or not a port', () => {
    expect(isAllowed(list, '', 995)).toBe(false);
    expect(isAllowed(list, 'mail.contoso.com:995', 995)).toBe(false);
    expect(isAllowed(list, 'mail.contoso.com', 995.5)).toBe(false);
    expect(isAllowed([], 'mail.contoso.com', 995)).toBe(false);
  });

  it('normalizes hosts and prints entries back in the form they are written', () => {
    expect(normalizeHost(' Mail.Contoso.COM ')).toBe('mail.contoso.com');
    expect(normalizeHost('not a host')).toBeUndefined();
    expect(list.map(formatEntry)).toEqual(['mail.contoso.com:995', '127.0.0.2:11143', '[2001:db8::1]:993']);
  });
});
