// The bench's knobs, from the environment (BENCH_*).

/** A positive whole number from `name`, or `fallback` when it is unset. */
export function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}
