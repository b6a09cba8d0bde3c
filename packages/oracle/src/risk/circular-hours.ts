// Hours of the day are angles on a 24-hour circle: 23:00 and 01:00 are two hours apart, not
// twenty-two, and their mean is midnight, not noon. Directional statistics (Mardia & Jupp,
// "Directional Statistics", 2000) give a mean direction and a resultant length R̄ in [0, 1]
// that measures how concentrated the hours are.
import { mod } from '../time/civil';

/** Radians per hour on the 24-hour circle. */
export const HOUR_ANGLE = (2 * Math.PI) / 24;

/**
 * Mean direction of hours whose unit vectors sum to (`sinSum`, `cosSum`), as an hour in
 * [0, 24). Rounded to a nanohour so that a mean at midnight reads 0, not 23.999999999999996.
 */
export function meanHour(sinSum: number, cosSum: number): number {
  const hour = Math.round(mod(Math.atan2(sinSum, cosSum) / HOUR_ANGLE, 24) * 1e9) / 1e9;
  return hour >= 24 ? hour - 24 : hour;
}

/** Mean resultant length R̄ of `n` hours, clamped to [0, 1] against rounding. */
export function resultantLength(sinSum: number, cosSum: number, n: number): number {
  return n === 0 ? 0 : Math.min(1, Math.sqrt(sinSum * sinSum + cosSum * cosSum) / n);
}

/**
 * Circular standard deviation `sqrt(-2 ln R̄)` in hours: it matches the ordinary standard
 * deviation for concentrated hours and grows without bound as they spread round the clock.
 */
export function circularSpreadHours(r: number): number {
  return r <= 0 ? Number.POSITIVE_INFINITY : Math.sqrt(-2 * Math.log(r)) / HOUR_ANGLE;
}

/** Shortest distance between two hours of the day, in [0, 12]. */
export function hourDistance(a: number, b: number): number {
  return Math.abs(mod(a - b + 12, 24) - 12);
}

/** `HH:MM` of an hour of day with fraction, for reason details. */
export function formatHour(hour: number): string {
  const minutes = Math.floor(hour * 60) % 1440;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
