// A 1 MB filesystem that a test fills to the last byte and frees again: a tmpfs mounted in a mount
// namespace of its own (`unshare -m`), so only the processes started in it see it, and it vanishes with
// the last of them whatever the test does. Mounting needs root, which CI has.
import { execFileSync, spawnSync } from 'node:child_process';

/** Why this machine cannot make a small disk (the reason to skip), or undefined when it can. */
export function smallDiskUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root, as in CI';
  const probe = spawnSync('unshare', ['-m', 'true'], { encoding: 'utf8' });
  if (probe.error) return `unshare (util-linux) is not available: ${probe.error.message}`;
  if (probe.status !== 0) return `unshare -m is refused here: ${probe.stderr.trim()}`;
  return undefined;
}

/**
 * The command to put in front of another (`[...onSmallDisk(dir), 'node', …]`): it mounts a fresh 1 MB
 * tmpfs on `dir`, which must exist, in a new mount namespace, then execs the command, which keeps the pid.
 */
export function onSmallDisk(dir: string): string[] {
  return ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$0" && exec "$@"', dir];
}

/** Inside the mount namespace of process `pid`: fills `dir` up with one file until no byte is left. */
export function fillSmallDisk(pid: number, dir: string): void {
  // dd ends with "No space left on device", which is the point; what counts is that nothing is left.
  spawnSync('nsenter', ['-t', String(pid), '-m', 'dd', 'if=/dev/zero', `of=${dir}/fill`, 'bs=4k'], { stdio: 'ignore' });
  const free = execFileSync('nsenter', ['-t', String(pid), '-m', 'df', '--output=avail', dir], { encoding: 'utf8' });
  if (Number(free.trim().split('\n').pop()) !== 0) throw new Error(`the small disk on ${dir} is not full: ${free}`);
}

export function freeSmallDisk(pid: number, dir: string): void {
  execFileSync('nsenter', ['-t', String(pid), '-m', 'rm', `${dir}/fill`]);
}
