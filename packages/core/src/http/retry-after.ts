const DELTA_SECONDS = /^\s*\d+(\.\d+)?\s*$/;
// Values this large are timestamps, not waits: 1e9 s is 2001, 1e12 ms is 2001.
const EPOCH_SECONDS_THRESHOLD = 1e9;
const EPOCH_MS_THRESHOLD = 1e12;

function parseNumber(raw: string | null): number | undefined {
  if (raw === null || !DELTA_SECONDS.test(raw)) return undefined;
  return Number(raw);
}

/** A number that may be a delta in seconds, an epoch in seconds, or an epoch in ms, as a wait in ms. */
function resetToWaitMs(value: number, nowMs: number): number {
  if (value >= EPOCH_MS_THRESHOLD) return Math.max(0, value - nowMs);
  if (value >= EPOCH_SECONDS_THRESHOLD) return Math.max(0, value * 1000 - nowMs);
  return value * 1000;
}

/**
 * The wait a response asks for, in ms, or `undefined` if it names none.
 *
 * Reads `Retry-After` (seconds or HTTP date). With `includeResetHeaders` (429 responses,
 * where reset headers mean "the window opens then") it also reads
 * `X-RateLimit-Reset-After` (seconds), `RateLimit-Reset` and `X-RateLimit-Reset`
 * (delta seconds, or epoch seconds/ms). `nowMs` comes from the injected clock.
 */
export function parseRetryAfter(headers: Headers, nowMs: number, includeResetHeaders: boolean): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = parseNumber(retryAfter);
    if (seconds !== undefined) return Math.ceil(seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  if (!includeResetHeaders) return undefined;
  const resetAfter = parseNumber(headers.get('x-ratelimit-reset-after'));
  if (resetAfter !== undefined) return Math.ceil(resetAfter * 1000);
  for (const name of ['ratelimit-reset', 'x-ratelimit-reset']) {
    const value = parseNumber(headers.get(name));
    if (value !== undefined) return Math.ceil(resetToWaitMs(value, nowMs));
  }
  return undefined;
}
