// What recording each case's facts costs the bot per turn: the full bot against itself with INSIGHTS=off, driven
// with the same conversations in windows of the same rounds, so both see the same machine. A cost counts as
// measurable only when it is larger than the difference between two windows of one target: less than that, and
// the same bot measured twice could show it.

/** One measured window of a target, or all of its windows together. */
export interface Measure {
  turnsPerSecond: number;
  targetCpuMsPerTurn: number;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentOf = (part: number, whole: number) => round((part / whole) * 100, 1);

/** How far apart a target's windows are: largest less smallest, as a share of their mean; unknown with one window. */
function spreadPercent(values: number[]): number | undefined {
  if (values.length < 2) return undefined;
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return percentOf(Math.max(...values) - Math.min(...values), mean);
}

interface Metric {
  on: number;
  off: number;
  onToOff: number;
  /** The share of the bot's turns/s, or of its CPU per turn, that recording takes. */
  costPercent: number;
  /** How much windows of the same target differ, per target and the larger of the two. */
  windowsDifferPercent: { on?: number; off?: number; largest?: number };
  /** The cost exceeds the difference between windows of one target; unknown with one window per target. */
  measurable?: boolean;
}

function metric(on: number, off: number, cost: number, onWindows: number[], offWindows: number[], digits: number): Metric {
  const differ = { on: spreadPercent(onWindows), off: spreadPercent(offWindows) };
  const largest = differ.on === undefined || differ.off === undefined ? undefined : Math.max(differ.on, differ.off);
  return {
    on: round(on, digits),
    off: round(off, digits),
    onToOff: round(on / off, 3),
    costPercent: cost,
    windowsDifferPercent: { ...differ, ...(largest === undefined ? {} : { largest }) },
    ...(largest === undefined ? {} : { measurable: cost > largest }),
  };
}

export function factsCost(on: Measure & { windows: Measure[] }, off: Measure & { windows: Measure[] }) {
  const tps = (m: Measure) => m.turnsPerSecond;
  const cpu = (m: Measure) => m.targetCpuMsPerTurn;
  const pairs = on.windows.map((w, i) => {
    const o = off.windows[i]!;
    return {
      turnsPerSecond: { on: round(tps(w), 0), off: round(tps(o), 0), onToOff: round(tps(w) / tps(o), 3) },
      cpuMsPerTurn: { on: cpu(w), off: cpu(o), onToOff: round(cpu(w) / cpu(o), 3) },
    };
  });
  const byTurnsPerSecond = metric(tps(on), tps(off), percentOf(tps(off) - tps(on), tps(off)), on.windows.map(tps), off.windows.map(tps), 0);
  const byCpuPerTurn = metric(cpu(on), cpu(off), percentOf(cpu(on) - cpu(off), cpu(on)), on.windows.map(cpu), off.windows.map(cpu), 3);
  const cpuRatios = pairs.map((p) => p.cpuMsPerTurn.onToOff);
  const tpsRatios = pairs.map((p) => p.turnsPerSecond.onToOff);
  // Each pair's two windows ran one after the other, so a slow spell of the machine hits both: pairs that all
  // lean the same way say more than their spread across rounds, which such a spell widens.
  const everyPairCostlier = cpuRatios.every((r) => r > 1) && tpsRatios.every((r) => r < 1);
  const windowPairs =
    `window pairs on / off: ${range(cpuRatios)} by CPU per turn, ${range(tpsRatios)} by turns/s; ` +
    (everyPairCostlier ? 'every pair has the bot with facts the costlier' : 'not every pair has the bot with facts the costlier');
  return { pairs, byTurnsPerSecond, byCpuPerTurn, everyPairCostlier, conclusion: conclusion(byCpuPerTurn, byTurnsPerSecond), windowPairs };
}

const range = (ratios: number[]) => {
  const [low, high] = [Math.min(...ratios), Math.max(...ratios)].map((r) => `${r.toFixed(3)}x`);
  return low === high ? low! : `${low} to ${high}`;
};

export type FactsCost = ReturnType<typeof factsCost>;

function conclusion(cpu: Metric, tps: Metric): string {
  const cost = `recording case facts costs ${cpu.costPercent}% of the bot's CPU per turn and ${tps.costPercent}% of its turns/s`;
  if (cpu.measurable === undefined || tps.measurable === undefined) return `${cost}: cannot tell with one window per target (BENCH_ROUNDS of 2 or more)`;
  const differ = `windows of the same target differ by up to ${cpu.windowsDifferPercent.largest}% in CPU per turn and ${tps.windowsDifferPercent.largest}% in turns/s`;
  const verdict =
    cpu.measurable && tps.measurable
      ? 'measurable'
      : cpu.measurable
        ? 'measurable by CPU per turn, not by turns/s'
        : tps.measurable
          ? 'measurable by turns/s, not by CPU per turn'
          : 'not measurable';
  return `${cost}; ${differ}: ${verdict}`;
}

export function factsCostLines(cost: FactsCost): string[] {
  const ratios = (m: { turnsPerSecond: { on: number; off: number; onToOff: number }; cpuMsPerTurn: { on: number; off: number; onToOff: number } }) =>
    `${m.turnsPerSecond.onToOff.toFixed(3)}x by turns/s (${m.turnsPerSecond.on} / ${m.turnsPerSecond.off}), ` +
    `${m.cpuMsPerTurn.onToOff.toFixed(3)}x by CPU per turn (${m.cpuMsPerTurn.on} / ${m.cpuMsPerTurn.off} ms)`;
  const overall = { turnsPerSecond: cost.byTurnsPerSecond, cpuMsPerTurn: cost.byCpuPerTurn };
  return [
    'case facts on / off (the full bot against itself with INSIGHTS=off, windows in the same rounds):',
    ...cost.pairs.map((pair, i) => `  window pair ${i + 1}: ${ratios(pair)}`),
    `  overall:       ${ratios(overall)}`,
    cost.conclusion,
    cost.windowPairs,
  ];
}
