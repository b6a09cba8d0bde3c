import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessAndRecordLogin,
  assessLogin,
  createLoginProfile,
  LOGIN_REASON_CODES,
  type LoginEvent,
  type LoginRiskOptions,
  userRiskScore,
} from '../src/risk';
import { zoneClock } from '../src/risk/local-hour';

const ZONES = ['UTC', 'America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Sao_Paulo'];
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2025, 0, 1);

const located = fc.option(
  fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }),
  { nil: undefined },
);

function loginAt(time: fc.Arbitrary<number>): fc.Arbitrary<LoginEvent> {
  return fc
    .record({
      t: time,
      asString: fc.boolean(),
      where: located,
      country: fc.option(fc.constantFrom('US', 'fr', 'DE', 'JP'), { nil: undefined }),
      deviceId: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
      timeZone: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, fc.constantFrom(...ZONES)),
    })
    .map(({ t, asString, where, country, deviceId, timeZone }) => ({
      at: asString ? new Date(t).toISOString() : new Date(t),
      country,
      deviceId,
      timeZone,
      ...(where ?? {}),
    }));
}

// Uniform times alone would never make a burst or a habitual hour, so most logins fall in one
// 10-minute span or at 09:00–10:00 UTC on random days.
const time = fc.oneof(
  { arbitrary: fc.integer({ min: FROM, max: TO }), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 600_000 }).map((dt) => Date.UTC(2023, 5, 1, 9) + dt), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 3_600_000 }))
      .map(([day, dt]) => FROM + day * 86_400_000 + 9 * 3_600_000 + dt),
    weight: 3,
  },
);
const login = loginAt(time);
const options: fc.Arbitrary<LoginRiskOptions> = fc.record(
  {
    timeZone: fc.constantFrom(...ZONES),
    weights: fc.record(
      { new_country: fc.double({ min: 0, max: 100, noNaN: true }), burst: fc.integer({ min: 0, max: 100 }) },
      { requiredKeys: [] },
    ),
    threshold: fc.integer({ min: 0, max: 100 }),
    burstCount: fc.integer({ min: 2, max: 6 }),
    unusualHourMinHistory: fc.integer({ min: 2, max: 12 }),
  },
  { requiredKeys: [] },
);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

describe('assessLogin properties', () => {
  it('keeps the score in [0, 100], equal to the capped sum of points, and anomalous iff score >= threshold', () => {
    fc.assert(
      fc.property(fc.array(login, { maxLength: 40 }), login, options, (history, event, opts) => {
        const r = assessLogin(history, event, opts);
        const sum = r.reasons.reduce((s, x) => s + x.points, 0);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(r.score).toBe(Math.min(100, sum));
        expect(r.anomalous).toBe(r.score >= (opts.threshold ?? 50));
        expect(new Set(r.reasons.map((x) => x.code)).size).toBe(r.reasons.length);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic, ignores history order and never mutates its (deep-frozen) inputs', () => {
    fc.assert(
      fc.property(fc.array(login, { maxLength: 30 }), login, options, fc.integer(), (history, event, opts, seed) => {
        const snapshot = structuredClone({ history, event, opts });
        deepFreeze(history);
        deepFreeze(event);
        deepFreeze(opts);
        const first = assessLogin(history, event, opts);
        expect(assessLogin(history, event, opts)).toEqual(first);
        // Among logins at the same instant the input order decides which location is the
        // latest, so order independence holds for distinct instants.
        const distinct = new Set(history.map((h) => new Date(h.at).getTime())).size === history.length;
        if (distinct && history.length > 0) {
          const k = Math.abs(seed) % history.length;
          const rotated = [...history.slice(k), ...history.slice(0, k)];
          expect(assessLogin(rotated, event, opts)).toEqual(first);
        }
        createLoginProfile(history, opts);
        expect({ history, event, opts }).toEqual(snapshot);
      }),
      { numRuns: 200 },
    );
  });

  it('has generators that reach every reason code (so the properties above exercise them)', () => {
    const seen = new Set<string>();
    for (const [history, event] of fc.sample(fc.tuple(fc.array(login, { maxLength: 40 }), login), { numRuns: 2000, seed: 7 })) {
      for (const reason of assessLogin(history, event).reasons) seen.add(reason.code);
    }
    expect([...seen].sort()).toEqual([...LOGIN_REASON_CODES].sort());
  });

  it('scores a time-ordered stream exactly as assessLogin scores each prefix', () => {
    const stream = fc
      .uniqueArray(time, { minLength: 1, maxLength: 40 })
      .chain((times) => fc.tuple(...[...times].sort((a, b) => a - b).map((t) => loginAt(fc.constant(t)))));
    fc.assert(
      fc.property(stream, options, (events, opts) => {
        deepFreeze(events);
        const profile = createLoginProfile([], deepFreeze(opts));
        events.forEach((event, i) => {
          expect(assessAndRecordLogin(profile, event)).toEqual(assessLogin(events.slice(0, i), event, opts));
        });
        expect(profile.loginCount).toBe(events.length);
      }),
      { numRuns: 150 },
    );
  });
});

describe('local hours', () => {
  const formatters = new Map(
    ZONES.map((zone) => [zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' })]),
  );

  it('match Intl wall-clock hours and minutes in every zone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), (zone, t) => {
        const parts = (formatters.get(zone) as Intl.DateTimeFormat).formatToParts(t);
        const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
        const hour = zoneClock('zone', zone).hourOf(t);
        expect(Math.floor(hour)).toBe(get('hour') % 24);
        expect(Math.floor(Math.round(hour * 60 * 1e6) / 1e6) % 60).toBe(get('minute'));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('userRiskScore properties', () => {
  it('bounds the score, sums the reasons up to the cap and derives the level from the thresholds', () => {
    fc.assert(
      fc.property(
        fc.record({
          privileged: fc.boolean(),
          mfaEnabled: fc.boolean(),
          recentAnomalies: fc.nat({ max: 20 }),
          lastLoginAt: fc.option(fc.integer({ min: FROM, max: TO }).map((t) => new Date(t)), { nil: undefined }),
          passwordAgeDays: fc.option(fc.double({ min: 0, max: 5000, noNaN: true }), { nil: undefined }),
          now: fc.constant('2025-01-01T00:00:00Z'),
        }),
        (input) => {
          const r = userRiskScore(deepFreeze(input));
          const sum = r.reasons.reduce((s, x) => s + x.points, 0);
          expect(r.score).toBe(Math.min(100, sum));
          expect(r.level).toBe(r.score >= 60 ? 'high' : r.score >= 30 ? 'medium' : 'low');
          expect(userRiskScore(input)).toEqual(r);
        },
      ),
      { numRuns: 500 },
    );
  });
});
