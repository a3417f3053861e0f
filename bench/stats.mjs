// How the bench summarises samples: medians, quartiles, and an overhead that never reads as a gain.

/** The q-quantile (0–1) of `values`, interpolated between the two nearest ranks. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export function median(values) {
  return quantile(values, 0.5);
}

/**
 * The overhead of `differences` (with − without, ms, one per pair) relative to `baselineMs`: the median
 * difference with its interquartile range. A reporter cannot make a run faster, so an interquartile range
 * that reaches zero or below means the cost is below what this machine can resolve: "within noise (±x %)",
 * x being the wider side of the range. Otherwise "+m % (IQR a–b %)".
 */
export function describeOverhead(differences, baselineMs) {
  const percent = (ms) => (ms / baselineMs) * 100;
  const middle = percent(median(differences));
  const low = percent(quantile(differences, 0.25));
  const high = percent(quantile(differences, 0.75));
  const withinNoise = low <= 0;
  const text = withinNoise
    ? `within noise (±${Math.max(Math.abs(low), Math.abs(high)).toFixed(1)} %)`
    : `+${middle.toFixed(1)} % (IQR ${low.toFixed(1)} to ${high.toFixed(1)} %)`;
  return { text, withinNoise, medianPercent: middle, lowPercent: low, highPercent: high, medianMs: median(differences) };
}
