// Loopback: only this machine reaches it. A bot without credentials cannot tell a caller from an
// attacker, so it listens and replies there alone.
import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** A host name or address (as in HOST, or a URL's hostname, brackets and all) that is this machine's loopback. */
export function isLoopbackHost(host: string): boolean {
  // No trailing dot: "localhost." is not in the hosts file, so a resolver (not this machine) would say where it is.
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** An http(s) URL on loopback: where a credential-less bot may send its replies. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopbackHost(parsed.hostname);
  } catch {
    return false;
  }
}
