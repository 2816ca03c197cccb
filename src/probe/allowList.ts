// The hosts and ports the live probe may connect to. The probe makes outbound connections on behalf of
// whoever is chatting with the bot, so it must never become a port scanner: only exact host:port pairs
// the operator wrote down, no wildcards, and an empty list turns the probe off.
import net from 'node:net';

export interface AllowEntry {
  /** Lower case; IPv6 without brackets, in its canonical compressed form. */
  host: string;
  port: number;
}

export type AllowList = readonly AllowEntry[];

const EXPECTED = 'expected host:port, e.g. mail.contoso.com:995, 192.0.2.10:110 or [2001:db8::1]:993';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** The one spelling of a host that allow-list entries and probe targets are compared in; undefined if it is not a host. */
export function normalizeHost(raw: string): string | undefined {
  let host = raw.trim().toLowerCase();
  const bracketed = host.startsWith('[') && host.endsWith(']');
  if (bracketed) host = host.slice(1, -1);
  if (net.isIPv6(host)) {
    // Many spellings name the same IPv6 address (::1, 0:0::1); the URL parser serializes the canonical one.
    return new URL(`http://[${host}]/`).hostname.slice(1, -1);
  }
  if (bracketed) return undefined;
  if (net.isIPv4(host)) return host;
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.length === 0 || host.length > 253) return undefined;
  const labels = host.split('.');
  if (!labels.every((label) => LABEL.test(label))) return undefined;
  // An all-numeric last label is not a DNS name, but the resolver would read "127.1" or "3232235777" as an
  // address: refusing it keeps the list from naming addresses in disguise.
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined;
  return host;
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function parseEntry(entry: string): AllowEntry {
  const invalid = (why: string) => new Error(`Allow-list entry "${entry}" is not valid (${why}): ${EXPECTED}.`);
  if (entry.includes('*')) throw invalid('wildcards are not allowed');
  const bracketed = /^\[([^\]]+)\]:([^:]*)$/.exec(entry);
  const plain = /^([^:[\]]+):([^:]*)$/.exec(entry);
  const parts = bracketed ?? plain;
  if (!parts) {
    const unbracketedIpv6 = net.isIPv6(entry) || net.isIPv6(entry.slice(0, entry.lastIndexOf(':')));
    throw invalid(unbracketedIpv6 ? 'IPv6 addresses need brackets' : 'no host:port');
  }
  const [, rawHost, rawPort] = parts as unknown as [string, string, string];
  if (bracketed && !net.isIPv6(rawHost)) throw invalid('only IPv6 addresses go in brackets');
  const host = normalizeHost(rawHost);
  if (host === undefined) throw invalid('bad host');
  const port = parsePort(rawPort);
  if (port === undefined) throw invalid('port must be 1-65535');
  return { host, port };
}

/**
 * Reads entries separated by commas or white space. Throws on the first malformed entry, naming it: a
 * list that is half understood would silently probe less (or more) than the operator meant.
 */
export function parseAllowList(text: string | undefined): AllowList {
  const entries = (text ?? '')
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .map(parseEntry);
  const unique = new Map(entries.map((entry) => [`${entry.host} ${entry.port}`, entry]));
  return [...unique.values()];
}

export function probeEnabled(list: AllowList): boolean {
  return list.length > 0;
}

export function isAllowed(list: AllowList, host: string, port: number): boolean {
  const wanted = normalizeHost(host);
  if (wanted === undefined || !Number.isInteger(port)) return false;
  return list.some((entry) => entry.host === wanted && entry.port === port);
}

export function formatEntry(entry: AllowEntry): string {
  return net.isIPv6(entry.host) ? `[${entry.host}]:${entry.port}` : `${entry.host}:${entry.port}`;
}
