// Two targets compared by the CPU each uses per turn, in many short pairs back to back. Two long windows per
// target cannot tell a few percent: this machine drifts by a third between windows of one target. So each pair
// measures both targets one after the other, in alternating order, by the CPU each process used per turn: a drift
// of the machine moves both halves of a pair alike. The ratio is the median of the pairs' ratios, and a
// difference counts as measurable only when the pairs lean one way more often than chance would have them (a
// two-sided sign test, p < 0.05). Used for case facts on / off (the full bot against itself with INSIGHTS=off)
// and for the full bot against the stock echo bot.

/** One pair: CPU milliseconds per turn of the target under test (`mine`) and of the one it is held to (`theirs`). */
export interface Pair {
  mine: number;
  theirs: number;
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

/** `what` names the comparison in the conclusion; `mine` and `theirs` name the two targets. */
export function compare(pairs: Pair[], turnsPerHalf: number, names: { what: string; mine: string; theirs: string }) {
  const ratios = pairs.map((p) => p.mine / p.theirs);
  const sorted = [...ratios].sort((a, b) => a - b);
  const costlier = ratios.filter((r) => r > 1).length;
  const cheaper = ratios.filter((r) => r < 1).length;
  const n = costlier + cheaper;
  const signTestP = n === 0 ? 1 : Math.min(1, 2 * atLeast(Math.max(costlier, cheaper), n));
  const ratio = median(sorted);
  const measurable = signTestP < 0.05;
  return {
    names,
    pairs: pairs.map((p) => ({ mine: round(p.mine, 3), theirs: round(p.theirs, 3), ratio: round(p.mine / p.theirs, 3) })),
    turnsPerHalf,
    /** CPU per turn of `mine` over `theirs`: below 1, `mine` is the cheaper. */
    medianRatio: round(ratio, 3),
    quartiles: [round(sorted[Math.floor((sorted.length - 1) / 4)]!, 3), round(sorted[Math.ceil(((sorted.length - 1) * 3) / 4)]!, 3)],
    costlier,
    cheaper,
    signTestP: round(signTestP, 4),
    measurable,
    conclusion:
      `${names.what}: ${names.mine} used a median ${round(ratio, 3)}x the CPU per turn of ${names.theirs} over ${pairs.length} pairs; ` +
      `${costlier} pairs costlier, ${cheaper} cheaper (sign test p = ${round(signTestP, 3)}): ${measurable ? 'a measurable difference' : 'no measurable difference'}`,
  };
}

export type Comparison = ReturnType<typeof compare>;

export function comparisonLines(c: Comparison): string[] {
  return [
    `${c.names.what} (${c.names.mine} / ${c.names.theirs}, ${c.pairs.length} pairs of ${c.turnsPerHalf} turns each, back to back):`,
    `  CPU per turn, pair by pair: ${c.pairs.map((p) => p.ratio.toFixed(2)).join(' ')}`,
    `  median ${c.medianRatio.toFixed(3)}x, middle half ${c.quartiles[0]!.toFixed(3)}x to ${c.quartiles[1]!.toFixed(3)}x`,
    c.conclusion,
  ];
}
