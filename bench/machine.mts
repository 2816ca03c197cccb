// How busy the machine is, to tell whether other processes disturbed a measurement (Linux /proc/stat).
import { existsSync, readFileSync } from 'node:fs';

export interface CpuTimes {
  /** Milliseconds of CPU used by every process on the machine (user, nice, system, irq, softirq). */
  busyMs: number;
  /** Milliseconds the hypervisor gave this VM's CPUs to someone else. */
  stealMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function machineCpu(): CpuTimes | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return { busyMs: (user + nice + system + irq + softirq) * TICK_MS, stealMs: steal * TICK_MS };
}

export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
