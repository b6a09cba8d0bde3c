import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import {
  assessAndRecordLogin,
  assessLogin,
  assessLoginWithProfile,
  createLoginProfile,
  findStaleAccounts,
  type LoginProfile,
  userRiskScore,
} from '../src/risk';

type ErrorClass = typeof OracleRangeError | typeof OracleTypeError;

function expectError(fn: () => unknown, kind: ErrorClass, field: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(kind);
  expect((caught as OracleRangeError).field).toBe(field);
  expect((caught as Error).message.startsWith(`${field}: `)).toBe(true);
}

const ok = { at: '2024-01-01T10:00:00Z' };
// Loosely typed on purpose: these are the shapes a JavaScript caller could pass.
const login = (event: unknown, history: unknown = [ok], options?: unknown) => () =>
  assessLogin(history as never, event as never, options as never);

describe('assessLogin validation', () => {
  it('accepts the valid base', () => {
    expect(login({ at: '2024-01-02T10:00:00Z' })().score).toBe(0);
  });

  it('rejects bad dates', () => {
    expectError(login({ at: 'yesterday' }), OracleRangeError, 'event.at');
    expectError(login({ at: new Date(Number.NaN) }), OracleRangeError, 'event.at');
    expectError(login({ at: 1_704_103_200_000 }), OracleTypeError, 'event.at');
    expectError(login({}), OracleTypeError, 'event.at');
    // Without an offset the instant would depend on the host's zone.
    expectError(login({ at: '2024-01-02T10:00:00' }), OracleRangeError, 'event.at');
    expectError(login(ok, [ok, { at: '2024-13-45T00:00:00Z' }]), OracleRangeError, 'history[1].at');
  });

  it('rejects coordinates out of range or without their pair', () => {
    expectError(login({ ...ok, lat: 91, lon: 0 }), OracleRangeError, 'event.lat');
    expectError(login({ ...ok, lat: 0, lon: -180.5 }), OracleRangeError, 'event.lon');
    expectError(login({ ...ok, lat: Number.NaN, lon: 0 }), OracleRangeError, 'event.lat');
    expectError(login({ ...ok, lat: '48.8', lon: 2.3 }), OracleTypeError, 'event.lat');
    expectError(login({ ...ok, lat: 10 }), OracleTypeError, 'event.lon');
    expectError(login(ok, [ok, ok, { ...ok, lon: 10 }]), OracleTypeError, 'history[2].lat');
  });

  it('rejects unknown time zones', () => {
    expectError(login({ ...ok, timeZone: 'Mars/Olympus_Mons' }), OracleRangeError, 'event.timeZone');
    expectError(login(ok, [{ ...ok, timeZone: 42 }]), OracleTypeError, 'history[0].timeZone');
    expectError(login(ok, [], { timeZone: 'Nowhere/Land' }), OracleRangeError, 'options.timeZone');
  });

  it('rejects malformed strings and shapes', () => {
    expectError(login({ ...ok, country: '  ' }), OracleRangeError, 'event.country');
    expectError(login({ ...ok, deviceId: 7 }), OracleTypeError, 'event.deviceId');
    expectError(login({ ...ok, ip: null }), OracleTypeError, 'event.ip');
    expectError(login({ ...ok, userAgent: {} }), OracleTypeError, 'event.userAgent');
    expectError(login({ ...ok, city: 1 }), OracleTypeError, 'event.city');
    expectError(login({ ...ok, timeZone: null }), OracleTypeError, 'event.timeZone');
    expectError(login(null), OracleTypeError, 'event');
    expectError(login(ok, 'history'), OracleTypeError, 'history');
    expectError(login(ok, [ok, 3]), OracleTypeError, 'history[1]');
  });

  it('rejects bad options', () => {
    expectError(login(ok, [], 'strict'), OracleTypeError, 'options');
    expectError(login(ok, [], { weights: { typo: 3 } }), OracleTypeError, 'options.weights.typo');
    expectError(login(ok, [], { weights: { burst: 120 } }), OracleRangeError, 'options.weights.burst');
    expectError(login(ok, [], { threshold: -1 }), OracleRangeError, 'options.threshold');
    expectError(login(ok, [], { maxSpeedKmh: 0 }), OracleRangeError, 'options.maxSpeedKmh');
    expectError(login(ok, [], { geoToleranceKm: -5 }), OracleRangeError, 'options.geoToleranceKm');
    expectError(login(ok, [], { burstCount: 1 }), OracleRangeError, 'options.burstCount');
    expectError(login(ok, [], { burstCount: 4.5 }), OracleRangeError, 'options.burstCount');
    expectError(login(ok, [], { burstWindowMinutes: 0 }), OracleRangeError, 'options.burstWindowMinutes');
    expectError(login(ok, [], { unusualHourMinHistory: 1 }), OracleRangeError, 'options.unusualHourMinHistory');
    expectError(login(ok, [], { unusualHourDeviations: 0 }), OracleRangeError, 'options.unusualHourDeviations');
    expectError(login(ok, [], { unusualHourMinDistanceHours: 13 }), OracleRangeError, 'options.unusualHourMinDistanceHours');
  });

  it('rejects a profile not made by createLoginProfile', () => {
    const fake = { ...createLoginProfile([]) } as LoginProfile;
    expectError(() => assessLoginWithProfile(fake, ok), OracleTypeError, 'profile');
    expectError(() => assessAndRecordLogin(undefined as never, ok), OracleTypeError, 'profile');
  });
});

describe('userRiskScore validation', () => {
  const base = { privileged: false, mfaEnabled: true, recentAnomalies: 0, now: '2025-01-01T00:00:00Z' };
  const score = (edit: Record<string, unknown>, options?: unknown) => () =>
    userRiskScore({ ...base, ...edit } as never, options as never);

  it('rejects missing or bad fields', () => {
    expectError(score({ now: undefined }), OracleTypeError, 'now');
    expectError(score({ now: 'soon' }), OracleRangeError, 'now');
    expectError(score({ privileged: 'admin' }), OracleTypeError, 'privileged');
    expectError(score({ mfaEnabled: 1 }), OracleTypeError, 'mfaEnabled');
    expectError(score({ recentAnomalies: -1 }), OracleRangeError, 'recentAnomalies');
    expectError(score({ recentAnomalies: 1.5 }), OracleRangeError, 'recentAnomalies');
    expectError(score({ passwordAgeDays: Number.NaN }), OracleRangeError, 'passwordAgeDays');
    expectError(score({ lastLoginAt: 'never' }), OracleRangeError, 'lastLoginAt');
    expectError(() => userRiskScore(null as never), OracleTypeError, 'input');
  });

  it('rejects bad options', () => {
    expectError(score({}, { highAt: 20 }), OracleRangeError, 'options.highAt');
    expectError(score({}, { weights: { admin: 5 } }), OracleTypeError, 'options.weights.admin');
    expectError(score({}, { staleLoginDays: -1 }), OracleRangeError, 'options.staleLoginDays');
  });
});

describe('findStaleAccounts validation', () => {
  const users = [{ id: 'a', createdAt: '2024-01-01T00:00:00Z' }];
  const find = (u: unknown, o: unknown) => () => findStaleAccounts(u as never, o as never);

  it('rejects missing now and bad accounts', () => {
    expectError(find(users, undefined), OracleTypeError, 'options');
    expectError(find(users, {}), OracleTypeError, 'options.now');
    expectError(find(users, { now: '2025-01-01T00:00:00Z', inactiveDays: -1 }), OracleRangeError, 'options.inactiveDays');
    expectError(find('users', { now: '2025-01-01T00:00:00Z' }), OracleTypeError, 'users');
    expectError(find([...users, { id: 2, createdAt: '2024-01-01T00:00:00Z' }], { now: '2025-01-01T00:00:00Z' }), OracleTypeError, 'users[1].id');
    expectError(find([{ id: 'b' }], { now: '2025-01-01T00:00:00Z' }), OracleTypeError, 'users[0].createdAt');
    expectError(find([{ id: 'b', createdAt: '2024-01-01T00:00:00Z', lastLoginAt: 'x' }], { now: '2025-01-01T00:00:00Z' }), OracleRangeError, 'users[0].lastLoginAt');
  });
});
