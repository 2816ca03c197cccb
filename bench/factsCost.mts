// What recording each case's facts costs the bot per turn: the full bot against itself with INSIGHTS=off. Two
// long windows per target cannot tell a few percent: this machine drifts by a third between windows of one
// target. So the two bots are measured in many short pairs, back to back, in alternating order, by the CPU each
// process used per turn: a drift of the machine moves both halves of a pair alike. The cost is the median of the
// pairs' ratios, and it counts as measurable only when the pairs lean one way more often than chance would
// have them (a two-sided sign test, p < 0.05).

/** One pair: CPU milliseconds per turn of the bot with facts and of the bot without, measured back to back. */
export interface FactsPair {
  on: number;
  off: number;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The chance of k or more heads in n fair tosses. */
function atLeast(k: number, n: number): number {
  let sum = 0;
  let choose = 1; // C(n, 0)
  for (let i = 0; i <= n; i++) {
    if (i >= k) sum += choose;
    choose = (choose * (n - i)) / (i + 1);
  }
  return sum / 2 ** n;
}

const median = (sorted: number[]) => (sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2);

export function factsCost(pairs: FactsPair[], turnsPerHalf: number) {
  const ratios = pairs.map((p) => p.on / p.off);
  const sorted = [...ratios].sort((a, b) => a - b);
  const costlier = ratios.filter((r) => r > 1).length;
  const cheaper = ratios.filter((r) => r < 1).length;
  const n = costlier + cheaper;
  const signTestP = n === 0 ? 1 : Math.min(1, 2 * atLeast(Math.max(costlier, cheaper), n));
  const onToOff = median(sorted);
  const measurable = signTestP < 0.05;
  const costPercent = round((1 - 1 / onToOff) * 100, 1);
  return {
    pairs: pairs.map((p) => ({ on: round(p.on, 3), off: round(p.off, 3), onToOff: round(p.on / p.off, 3) })),
    turnsPerHalf,
    medianOnToOff: round(onToOff, 3),
    quartilesOnToOff: [round(sorted[Math.floor((sorted.length - 1) / 4)]!, 3), round(sorted[Math.ceil(((sorted.length - 1) * 3) / 4)]!, 3)],
    costlier,
    cheaper,
    signTestP: round(signTestP, 4),
    measurable,
    conclusion:
      `recording case facts: median ${round(onToOff, 3)}x CPU per turn (${costPercent}% of the bot's CPU) over ${pairs.length} pairs; ` +
      `${costlier} pairs costlier with facts, ${cheaper} cheaper (sign test p = ${round(signTestP, 3)}): ${measurable ? 'measurable' : 'not measurable'}`,
  };
}

export type FactsCost = ReturnType<typeof factsCost>;

export function factsCostLines(cost: FactsCost): string[] {
  const ratios = cost.pairs.map((p) => p.onToOff.toFixed(2)).join(' ');
  return [
    `case facts on / off (the full bot against itself with INSIGHTS=off, ${cost.pairs.length} pairs of ${cost.turnsPerHalf} turns each, back to back):`,
    `  CPU per turn, on / off, pair by pair: ${ratios}`,
    `  median ${cost.medianOnToOff.toFixed(3)}x, middle half ${cost.quartilesOnToOff[0]!.toFixed(3)}x to ${cost.quartilesOnToOff[1]!.toFixed(3)}x`,
    cost.conclusion,
  ];
}
