import { type Clock, systemClock } from '../clock';
import { type AlmanacError, type AlmanacErrorOptions, IntegrityError, ValidationError } from '../errors';
import { type SeenIdStore, createMemorySeenIdStore } from './seen-id-store';

/** Why a delivery was rejected. */
export type ReplayRejectionReason = 'stale' | 'future' | 'duplicate' | 'invalid';

/** Outcome of {@link ReplayGuard.check}. */
export type ReplayCheckResult =
  | {
      /** The delivery is fresh and its id is now recorded. */
      ok: true;
    }
  | {
      /** The delivery must be rejected. */
      ok: false;
      /** Why it was rejected. */
      reason: ReplayRejectionReason;
    };

/** Unit of numeric timestamps given to a {@link ReplayGuard}. */
export type TimestampUnit = 'seconds' | 'milliseconds';

/** One delivery to check; both fields normally come straight from request headers. */
export interface ReplayCheckInput {
  /** Unique delivery id (e.g. `X-GitHub-Delivery`, `webhook-id`). 1-512 characters. */
  id: string;
  /**
   * When the sender signed the delivery: a `Date`; a number or digit string (e.g.
   * `"1700000000"`) in the guard's `timestampUnit`; or an RFC 3339 string with a zone
   * (`2024-01-01T00:00:00Z`, `...+02:00`). Anything else is `invalid`.
   */
  timestamp: Date | string | number;
}

/** Per-call options of a {@link ReplayGuard}. */
export interface ReplayCheckOptions {
  /** Aborts the seen-id store call. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link createReplayGuard}. */
export interface ReplayGuardOptions {
  /** Largest accepted distance between the timestamp and now, in either direction. Default 10 minutes. */
  windowMs?: number | undefined;
  /** Time source. Default {@link systemClock}. */
  clock?: Clock | undefined;
  /** Where seen ids are kept. Default: an in-memory store on the same clock. */
  store?: SeenIdStore | undefined;
  /**
   * Unit of numeric timestamps. Default `seconds`, which is what signed webhook headers
   * (Slack, Discord, Stripe, Standard Webhooks) carry; pass `milliseconds` for `Date.now()` values.
   */
  timestampUnit?: TimestampUnit | undefined;
}

/**
 * Rejects webhook deliveries that are too old, too far in the future, or already seen.
 * Run it after signature verification, so the id and timestamp are authentic.
 */
export interface ReplayGuard {
  /** The accepted window, in milliseconds. */
  readonly windowMs: number;
  /**
   * Checks a delivery and, if it is fresh, records its id. Malformed input yields
   * `invalid` rather than an exception, since it is attacker-controlled. Errors of the
   * seen-id store propagate.
   */
  check(input: ReplayCheckInput, options?: ReplayCheckOptions): Promise<ReplayCheckResult>;
  /** Like {@link ReplayGuard.check} but rejects with {@link ReplayError} instead of returning a rejection. */
  assertFresh(input: ReplayCheckInput, options?: ReplayCheckOptions): Promise<void>;
}

/** A webhook delivery was rejected as stale, from the future, a duplicate, or malformed. */
export class ReplayError extends IntegrityError {
  /** Why it was rejected. */
  readonly reason: ReplayRejectionReason;
  /** Creates a replay error for `reason`. */
  constructor(reason: ReplayRejectionReason, message: string, options: AlmanacErrorOptions = {}) {
    super(message, options);
    this.reason = reason;
  }
  /** Like {@link AlmanacError.toJSON}, plus the reason. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}

const DEFAULT_WINDOW_MS = 10 * 60_000;
const MAX_ID_LENGTH = 512;
const DIGITS = /^\d{1,16}(?:\.\d{1,9})?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Creates a {@link ReplayGuard}. Throws {@link ValidationError} for bad options. */
export function createReplayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const unit = options.timestampUnit ?? 'seconds';
  const clock = options.clock ?? systemClock;
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) {
    throw new ValidationError(undefined, [{ path: 'windowMs', message: 'must be a positive integer of milliseconds' }]);
  }
  if (unit !== 'seconds' && unit !== 'milliseconds') {
    throw new ValidationError(undefined, [{ path: 'timestampUnit', message: 'must be "seconds" or "milliseconds"' }]);
  }
  if (typeof clock?.now !== 'function') {
    throw new ValidationError(undefined, [{ path: 'clock', message: 'must be a Clock' }]);
  }
  const store = options.store ?? createMemorySeenIdStore({ clock });
  if (typeof store?.add !== 'function') {
    throw new ValidationError(undefined, [{ path: 'store', message: 'must be a SeenIdStore' }]);
  }

  const check = async (input: ReplayCheckInput, callOptions?: ReplayCheckOptions): Promise<ReplayCheckResult> => {
    if (typeof input !== 'object' || input === null) {
      throw new ValidationError(undefined, [{ path: '', message: 'must be an object with id and timestamp' }]);
    }
    const { id } = input;
    const timestampMs = toEpochMs(input.timestamp, unit);
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || timestampMs === undefined) {
      return { ok: false, reason: 'invalid' };
    }
    const now = clock.now();
    if (now - timestampMs > windowMs) return { ok: false, reason: 'stale' };
    if (timestampMs - now > windowMs) return { ok: false, reason: 'future' };
    // Remember the id at least until its timestamp leaves the window; after that the
    // staleness check alone rejects a replay, so the entry can safely expire.
    const ttlMs = Math.max(windowMs, Math.ceil(timestampMs + windowMs - now) + 1);
    const added = await store.add(id, ttlMs, callOptions?.signal ? { signal: callOptions.signal } : undefined);
    return added ? { ok: true } : { ok: false, reason: 'duplicate' };
  };

  return {
    windowMs,
    check,
    async assertFresh(input, callOptions) {
      const result = await check(input, callOptions);
      if (!result.ok) throw new ReplayError(result.reason, rejectionMessage(result.reason, windowMs), { operation: 'webhook.replay' });
    },
  };
}

/** Epoch milliseconds of a timestamp, or `undefined` when it is not one of the documented forms. */
function toEpochMs(timestamp: unknown, unit: TimestampUnit): number | undefined {
  let ms: number;
  if (timestamp instanceof Date) {
    ms = timestamp.getTime();
  } else if (typeof timestamp === 'number') {
    ms = unit === 'seconds' ? timestamp * 1000 : timestamp;
  } else if (typeof timestamp === 'string' && DIGITS.test(timestamp)) {
    ms = unit === 'seconds' ? Number(timestamp) * 1000 : Number(timestamp);
  } else if (typeof timestamp === 'string' && RFC3339.test(timestamp)) {
    ms = Date.parse(timestamp);
  } else {
    return undefined;
  }
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

function rejectionMessage(reason: ReplayRejectionReason, windowMs: number): string {
  switch (reason) {
    case 'stale':
      return `Webhook timestamp is more than ${windowMs} ms in the past`;
    case 'future':
      return `Webhook timestamp is more than ${windowMs} ms in the future`;
    case 'duplicate':
      return 'Webhook delivery id was already accepted';
    case 'invalid':
      return 'Webhook delivery id or timestamp is missing or malformed';
  }
}
