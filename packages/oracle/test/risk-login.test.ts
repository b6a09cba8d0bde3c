import { describe, expect, it } from 'vitest';
import {
  assessAndRecordLogin,
  assessLogin,
  assessLoginWithProfile,
  createLoginProfile,
  haversineKm,
  type LoginEvent,
  updateLoginProfile,
} from '../src/risk';

const PARIS = { lat: 48.8566, lon: 2.3522 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };
// Along a meridian the haversine distance is exactly R·Δφ, so hops of a known length are easy.
const KM_PER_DEGREE = (6371.0088 * Math.PI) / 180;
const north = (km: number) => ({ lat: 40 + km / KM_PER_DEGREE, lon: 0 });

const codes = (r: { reasons: readonly { code: string }[] }) => r.reasons.map((x) => x.code);
const minutes = (iso: string, m: number) => new Date(Date.parse(iso) + m * 60_000);

/** `count` logins on consecutive days at `hhmm` New York wall time, written with explicit offsets. */
function newYorkMornings(count: number): LoginEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(2024, 0, 8 + i));
    const date = day.toISOString().slice(0, 10);
    const minute = String((i * 7) % 50).padStart(2, '0'); // 09:00–09:49, a realistic scatter
    return { at: `${date}T09:${minute}:00-05:00`, deviceId: 'laptop', country: 'US' };
  });
}

describe('haversineKm', () => {
  it('gives the textbook Paris–New York distance and exact meridian hops', () => {
    expect(haversineKm(PARIS.lat, PARIS.lon, NEW_YORK.lat, NEW_YORK.lon)).toBeCloseTo(5837, 0);
    const p = north(900);
    expect(haversineKm(40, 0, p.lat, p.lon)).toBeCloseTo(900, 6);
    expect(haversineKm(10, 20, 10, 20)).toBe(0);
    // Antipodes: half the circumference, no NaN from rounding past 1 inside asin.
    expect(haversineKm(0, 0, 0, 180)).toBeCloseTo(Math.PI * 6371.0088, 6);
  });
});

describe('assessLogin: first_login', () => {
  it('flags an empty history and nothing else', () => {
    const r = assessLogin([], { at: '2024-01-01T10:00:00Z', country: 'US', deviceId: 'x', ...PARIS });
    expect(codes(r)).toEqual(['first_login']);
    expect(r.score).toBe(10);
    expect(r.anomalous).toBe(false);
  });

  it('ignores history at or after the event (no look-ahead)', () => {
    const later = [{ at: '2024-01-01T10:00:00Z', country: 'US' }, { at: '2024-01-02T10:00:00Z', country: 'US' }];
    expect(codes(assessLogin(later, { at: '2024-01-01T10:00:00Z', country: 'FR' }))).toEqual(['first_login']);
    expect(codes(assessLogin(later, { at: '2024-01-01T10:00:01Z', country: 'FR' }))).toEqual(['new_country']);
  });
});

describe('assessLogin: new_country and new_device', () => {
  const history = [
    { at: '2024-01-01T10:00:00Z', country: 'US', deviceId: 'laptop' },
    { at: '2024-01-02T10:00:00Z', country: 'CA', deviceId: 'phone' },
  ];

  it('flags a country and a device never seen, reaching the threshold together', () => {
    const r = assessLogin(history, { at: '2024-01-03T10:00:00Z', country: 'FR', deviceId: 'tablet' });
    expect(codes(r)).toEqual(['new_country', 'new_device']);
    expect(r.score).toBe(50);
    expect(r.anomalous).toBe(true);
    expect(r.reasons[0]?.detail).toContain('FR');
  });

  it('does not flag known ones (countries case-insensitively)', () => {
    expect(assessLogin(history, { at: '2024-01-03T10:00:00Z', country: ' ca ', deviceId: 'phone' }).reasons).toEqual([]);
  });

  it('does not flag when the history carries no countries or devices at all', () => {
    const bare = [{ at: '2024-01-01T10:00:00Z' }];
    expect(assessLogin(bare, { at: '2024-01-03T10:00:00Z', country: 'FR', deviceId: 'tablet' }).reasons).toEqual([]);
  });
});

describe('assessLogin: impossible_travel', () => {
  const at = '2024-05-01T08:00:00Z';
  const from = (p: { lat: number; lon: number }) => [{ at, ...p }];

  it('flags Paris to New York in one hour', () => {
    const r = assessLogin(from(PARIS), { at: minutes(at, 60), ...NEW_YORK });
    expect(codes(r)).toEqual(['impossible_travel']);
    expect(r.score).toBe(60);
    expect(r.anomalous).toBe(true);
    expect(r.reasons[0]?.detail).toMatch(/^5837 km .* 60 min/);
  });

  it('accepts Paris to New York in eight hours (a flight)', () => {
    expect(assessLogin(from(PARIS), { at: minutes(at, 480), ...NEW_YORK }).reasons).toEqual([]);
  });

  it('accepts a 900 km/h hop and flags a 1200 km/h one at the default 1000 km/h', () => {
    expect(assessLogin(from(north(0)), { at: minutes(at, 60), ...north(900) }).reasons).toEqual([]);
    expect(codes(assessLogin(from(north(0)), { at: minutes(at, 60), ...north(1200) }))).toEqual(['impossible_travel']);
  });

  it('subtracts the geolocation error before computing the speed (1050 km in 1 h is 950 km/h)', () => {
    expect(assessLogin(from(north(0)), { at: minutes(at, 60), ...north(1050) }).reasons).toEqual([]);
    expect(codes(assessLogin(from(north(0)), { at: minutes(at, 60), ...north(1050) }, { geoToleranceKm: 0 }))).toEqual([
      'impossible_travel',
    ]);
  });

  it('ignores a 50 km hop within the geolocation error even a minute apart, but not a 150 km one', () => {
    expect(assessLogin(from(north(0)), { at: minutes(at, 1), ...north(50) }).reasons).toEqual([]);
    expect(codes(assessLogin(from(north(0)), { at: minutes(at, 1), ...north(150) }))).toEqual(['impossible_travel']);
  });

  it('measures from the latest located login, skipping unlocated ones', () => {
    const history = [{ at, ...PARIS }, { at: minutes(at, 30) }];
    expect(codes(assessLogin(history, { at: minutes(at, 60), ...NEW_YORK }))).toEqual(['impossible_travel']);
    const older = [{ at: '2024-04-01T08:00:00Z', ...NEW_YORK }, { at, ...PARIS }];
    expect(codes(assessLogin(older, { at: minutes(at, 60), ...NEW_YORK }))).toEqual(['impossible_travel']);
  });

  it('honours maxSpeedKmh', () => {
    expect(assessLogin(from(PARIS), { at: minutes(at, 60), ...NEW_YORK }, { maxSpeedKmh: 6000 }).reasons).toEqual([]);
  });
});

describe('assessLogin: unusual_hour', () => {
  const history = newYorkMornings(14);
  const ny = { timeZone: 'America/New_York' };

  it('accepts the usual hour in the user’s zone and flags the same UTC instant read in another zone', () => {
    // 14:20Z on 2024-01-25 is 09:20 in New York and 23:20 in Tokyo.
    const event = { at: '2024-01-25T14:20:00Z', deviceId: 'laptop', country: 'US' };
    expect(assessLogin(history, event, ny).reasons).toEqual([]);
    const tokyo = assessLogin(history, { ...event, timeZone: 'Asia/Tokyo' }, ny);
    expect(codes(tokyo)).toEqual(['unusual_hour']);
    expect(tokyo.reasons[0]?.detail).toMatch(/^login at 23:20 Asia\/Tokyo is 10\.1 h from the usual 09:2/);
  });

  it('reads history in options.timeZone: the same UTC history seen from UTC makes 09:20 New York unusual', () => {
    const utcEvent = { at: '2024-01-25T09:20:00Z' };
    expect(codes(assessLogin(history, utcEvent, ny))).toEqual(['unusual_hour']);
    // Without the zone, both history (14:xx UTC) and a 14:20Z login agree.
    expect(assessLogin(history, { at: '2024-01-25T14:20:00Z' }).reasons).toEqual([]);
  });

  it('flags 03:00 local but not 11:00 (within the 3 h floor)', () => {
    expect(codes(assessLogin(history, { at: '2024-01-25T03:00:00-05:00' }, ny))).toEqual(['unusual_hour']);
    expect(assessLogin(history, { at: '2024-01-25T11:00:00-05:00' }, ny).reasons).toEqual([]);
  });

  it('needs enough history: 9 earlier logins never flag, 10 do', () => {
    const night = { at: '2024-01-30T03:00:00-05:00' };
    expect(assessLogin(history.slice(0, 9), night, ny).reasons).toEqual([]);
    expect(codes(assessLogin(history.slice(0, 10), night, ny))).toEqual(['unusual_hour']);
  });

  it('never flags a user whose hours are spread round the clock', () => {
    const spread = Array.from({ length: 48 }, (_, i) => ({ at: new Date(Date.UTC(2024, 0, 1 + i, (i * 7) % 24)) }));
    for (let h = 0; h < 24; h++) {
      expect(assessLogin(spread, { at: new Date(Date.UTC(2024, 2, 1, h)) }).reasons).toEqual([]);
    }
  });

  it('treats hours as a circle: logins around midnight make 00:45 usual and noon unusual', () => {
    const midnight = Array.from({ length: 12 }, (_, i) => ({
      at: new Date(Date.UTC(2024, 0, 1 + i, i % 2 === 0 ? 23 : 0, 30)),
    }));
    expect(createLoginProfile(midnight).hours.meanHour).toBeCloseTo(0, 6);
    expect(assessLogin(midnight, { at: '2024-02-01T00:45:00Z' }).reasons).toEqual([]);
    expect(codes(assessLogin(midnight, { at: '2024-02-01T12:00:00Z' }))).toEqual(['unusual_hour']);
  });

  it('keeps local hours through a DST change (New York, 10 March 2024)', () => {
    // 09:00 local every day from 4 to 15 March: 14:00Z before the change, 13:00Z after.
    const dstWeek = Array.from({ length: 12 }, (_, i) => {
      const day = 4 + i;
      return { at: `2024-03-${String(day).padStart(2, '0')}T09:00:00${day < 10 ? '-05:00' : '-04:00'}` };
    });
    const profile = createLoginProfile(dstWeek, ny);
    expect(profile.hours.meanHour).toBeCloseTo(9, 9);
    expect(profile.hours.concentration).toBeCloseTo(1, 12);
    expect(assessLogin(dstWeek, { at: '2024-03-18T09:05:00-04:00' }, ny).reasons).toEqual([]);
    // Read in UTC the same logins straddle two hours.
    expect(createLoginProfile(dstWeek).hours.meanHour).toBeGreaterThan(13);
  });

  it('keeps local hours through the autumn change in Europe (Paris, 27 October 2024)', () => {
    const week = Array.from({ length: 12 }, (_, i) => {
      const day = 21 + i; // 21 Oct … 1 Nov
      const date = day <= 31 ? `2024-10-${day}` : `2024-11-0${day - 31}`;
      return { at: `${date}T22:30:00${day < 27 ? '+02:00' : '+01:00'}` };
    });
    const paris = { timeZone: 'Europe/Paris' };
    expect(createLoginProfile(week, paris).hours.meanHour).toBeCloseTo(22.5, 9);
    expect(assessLogin(week, { at: '2024-11-03T22:40:00+01:00' }, paris).reasons).toEqual([]);
  });
});

describe('assessLogin: burst', () => {
  const start = '2024-06-01T12:00:00Z';

  it('flags the fifth login within ten minutes', () => {
    const history = [0, 2, 4, 6].map((m) => ({ at: minutes(start, m) }));
    const r = assessLogin(history, { at: minutes(start, 9.5) });
    expect(codes(r)).toEqual(['burst']);
    expect(r.reasons[0]?.detail).toBe('5 logins within 10 min');
    expect(r.anomalous).toBe(false);
  });

  it('does not flag four logins in the window (the first fell out)', () => {
    const history = [0, 2, 4, 6].map((m) => ({ at: minutes(start, m) }));
    expect(assessLogin(history, { at: minutes(start, 10.5) }).reasons).toEqual([]);
  });

  it('honours burstCount and burstWindowMinutes', () => {
    const history = [{ at: minutes(start, 0) }, { at: minutes(start, 0.5) }];
    const options = { burstCount: 3, burstWindowMinutes: 1 };
    expect(codes(assessLogin(history, { at: minutes(start, 1) }, options))).toEqual(['burst']);
    expect(assessLogin(history, { at: minutes(start, 1.01) }, options).reasons).toEqual([]);
  });
});

describe('assessLogin: scoring', () => {
  it('uses configured weights, caps the score at 100 and applies the threshold', () => {
    const history = [{ at: '2024-05-01T08:00:00Z', country: 'FR', deviceId: 'a', ...PARIS }];
    const event = { at: '2024-05-01T09:00:00Z', country: 'US', deviceId: 'b', ...NEW_YORK };
    const r = assessLogin(history, event);
    expect(codes(r)).toEqual(['new_country', 'new_device', 'impossible_travel']);
    expect(r.score).toBe(100); // 30 + 20 + 60 capped
    const light = assessLogin(history, event, { weights: { impossible_travel: 5, new_country: 5 }, threshold: 40 });
    expect(light.reasons.map((x) => x.points)).toEqual([5, 20, 5]);
    expect(light.score).toBe(30);
    expect(light.anomalous).toBe(false);
    expect(assessLogin(history, event, { weights: { impossible_travel: 5, new_country: 5 }, threshold: 30 }).anomalous).toBe(
      true,
    );
  });

  it('lists reasons with zero weight, scoring 0', () => {
    const r = assessLogin([], { at: '2024-05-01T08:00:00Z' }, { weights: { first_login: 0 } });
    expect(r).toEqual({ score: 0, anomalous: false, reasons: [expect.objectContaining({ code: 'first_login', points: 0 })] });
  });
});

describe('login profiles (stream path)', () => {
  it('scores like assessLogin and records in place', () => {
    const history = newYorkMornings(12);
    const profile = createLoginProfile(history, { timeZone: 'America/New_York' });
    expect(profile.loginCount).toBe(12);
    expect(profile.countries).toEqual(new Set(['US']));
    const event = { at: '2024-01-25T03:00:00-05:00', deviceId: 'phone', country: 'US' };
    const expected = assessLogin(history, event, { timeZone: 'America/New_York' });
    expect(assessLoginWithProfile(profile, event)).toEqual(expected);
    expect(profile.loginCount).toBe(12); // assessing does not record
    expect(assessAndRecordLogin(profile, event)).toEqual(expected);
    expect(profile.loginCount).toBe(13);
    expect(profile.devices).toEqual(new Set(['laptop', 'phone']));
    expect(profile.lastLoginAt).toBe(Date.parse('2024-01-25T08:00:00Z'));
    updateLoginProfile(profile, { at: '2024-01-26T09:00:00-05:00' });
    expect(profile.loginCount).toBe(14);
  });

  it('accepts history in any order', () => {
    const history = newYorkMornings(12);
    const reversed = createLoginProfile([...history].reverse());
    expect(reversed.lastLoginAt).toBe(createLoginProfile(history).lastLoginAt);
    expect(reversed.hours).toEqual(createLoginProfile(history).hours);
  });

  it('refuses a login earlier than the profile’s latest', () => {
    const profile = createLoginProfile([{ at: '2024-01-02T00:00:00Z' }]);
    expect(() => updateLoginProfile(profile, { at: '2024-01-01T00:00:00Z' })).toThrow(/event\.at: precedes/);
    expect(() => assessAndRecordLogin(profile, { at: '2024-01-01T00:00:00Z' })).toThrow(/event\.at: precedes/);
    expect(profile.loginCount).toBe(1);
  });

  it('treats a login at the same instant as the latest as simultaneous', () => {
    const profile = createLoginProfile([{ at: '2024-01-02T00:00:00Z', ...PARIS }]);
    const r = assessAndRecordLogin(profile, { at: '2024-01-02T00:00:00Z', ...NEW_YORK });
    expect(codes(r)).toEqual(['impossible_travel']);
    expect(r.reasons[0]?.detail).toContain('infinite km/h');
  });
});
