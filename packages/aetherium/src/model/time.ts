// Date/times of FOCUS exports come as `2024-09-18 22:00:00` (no zone: FOCUS date/times are UTC),
// `2023-01-01T00:00:00Z` or with an offset; Parquet readers hand over Date objects.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const DAY_MS = 86_400_000;

/** Epoch ms of an ISO date or date/time (UTC unless it carries a zone), or `undefined` when it is not one. */
export function parseInstant(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), frac ? Math.floor(Number(frac) * 1000) : 0);
  if (new Date(ms).getUTCDate() !== day) return undefined; // 2024-02-31
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * 60_000;
  }
  return ms;
}

/** Start of the UTC day holding `ms`. */
export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Start of the UTC calendar month holding `ms`. */
export function startOfUtcMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

const HOUR_MS = 3_600_000;

/** The period of `granularity` starting at `startMs` (already truncated): its end. */
export function periodEnd(startMs: number, granularity: 'hourly' | 'daily' | 'monthly'): number {
  if (granularity === 'hourly') return startMs + HOUR_MS;
  if (granularity === 'daily') return startMs + DAY_MS;
  const d = new Date(startMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Truncates to the period of `granularity`. */
export function periodStart(ms: number, granularity: 'hourly' | 'daily' | 'monthly'): number {
  if (granularity === 'hourly') return Math.floor(ms / HOUR_MS) * HOUR_MS;
  return granularity === 'daily' ? startOfUtcDay(ms) : startOfUtcMonth(ms);
}

/** One UTC day in ms. */
export const DAY = DAY_MS;
