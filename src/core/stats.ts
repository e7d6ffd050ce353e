/*
 * Statistics helpers shared by every area that publishes a rate: the proportion, and how sure it is.
 */

/** A share and its 95% Wilson score interval; null share when nothing was counted. */
export interface Proportion {
  numerator: number;
  denominator: number;
  value: number | null;
  low: number | null;
  high: number | null;
}

const Z95 = 1.959963984540054;

/** The share numerator/denominator with its 95% Wilson interval (sound for small samples and 0% or 100%). */
export function proportion(numerator: number, denominator: number): Proportion {
  if (denominator <= 0) return { numerator, denominator, value: null, low: null, high: null };
  const p = numerator / denominator;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * denominator)) / (1 + z2 / denominator);
  const half =
    (Z95 * Math.sqrt((p * (1 - p)) / denominator + z2 / (4 * denominator * denominator))) /
    (1 + z2 / denominator);
  return {
    numerator,
    denominator,
    value: p,
    // At 0% and 100% the bound is exactly 0 or 1; say so rather than 0.9999999999999999.
    low: numerator === 0 ? 0 : Math.max(0, centre - half),
    high: numerator === denominator ? 1 : Math.min(1, centre + half),
  };
}

/** Rounds half away from zero to a number of decimals, the same way on every platform. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = Math.abs(value) * factor;
  // Nudge by a relative epsilon so that 0.125 stored as 0.12499999… still rounds up.
  const rounded = Math.round(scaled * (1 + Number.EPSILON)) / factor;
  return Math.sign(value) * rounded;
}
