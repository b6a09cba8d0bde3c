import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { expectOracleErrorWithFieldPrefix } from './helpers/expect-oracle-error';
import {
  assessAndRecordLogin,
  assessLogin,
  assessLoginWithProfile,
  createLoginProfile,
  findStaleAccounts,
  type LoginProfile,
  userRiskScore,
} from '../src/risk';

const ok = { at: '2024-01-01T10:00:00Z' };
// Loosely typed on purpose: these are the shapes a JavaScript caller could pass.
const login = (event: unknown, history: unknown = [ok], options?: unknown) => () =>
  assessLogin(history as never, event as never, options as never);

describe('assessLogin validation', () => {
  it('accepts the valid base', () => {
    expect(login({ at: '2024-01-02T10:00:00Z' })().score).toBe(0);
  });

  it('rejects bad dates', () => {
    expectOracleErrorWithFieldPrefix(login({ at: 'yesterday' }), OracleRangeError, 'event.at');
    expectOracleErrorWithFieldPrefix(login({ at: new Date(Number.NaN) }), OracleRangeError, 'event.at');
    expectOracleErrorWithFieldPrefix(login({ at: 1_704_103_200_000 }), OracleTypeError, 'event.at');
    expectOracleErrorWithFieldPrefix(login({}), OracleTypeError, 'event.at');
    // Without an offset the instant would depend on the host's zone.
    expectOracleErrorWithFieldPrefix(login({ at: '2024-01-02T10:00:00' }), OracleRangeError, 'event.at');
    expectOracleErrorWithFieldPrefix(login(ok, [ok, { at: '2024-13-45T00:00:00Z' }]), OracleRangeError, 'history[1].at');
  });

  it('rejects coordinates out of range or without their pair', () => {
    expectOracleErrorWithFieldPrefix(login({ ...ok, lat: 91, lon: 0 }), OracleRangeError, 'event.lat');
    expectOracleErrorWithFieldPrefix(login({ ...ok, lat: 0, lon: -180.5 }), OracleRangeError, 'event.lon');
    expectOracleErrorWithFieldPrefix(login({ ...ok, lat: Number.NaN, lon: 0 }), OracleRangeError, 'event.lat');
    expectOracleErrorWithFieldPrefix(login({ ...ok, lat: '48.8', lon: 2.3 }), OracleTypeError, 'event.lat');
    expectOracleErrorWithFieldPrefix(login({ ...ok, lat: 10 }), OracleTypeError, 'event.lon');
    expectOracleErrorWithFieldPrefix(login(ok, [ok, ok, { ...ok, lon: 10 }]), OracleTypeError, 'history[2].lat');
  });

  it('rejects unknown time zones', () => {
    expectOracleErrorWithFieldPrefix(login({ ...ok, timeZone: 'Mars/Olympus_Mons' }), OracleRangeError, 'event.timeZone');
    expectOracleErrorWithFieldPrefix(login(ok, [{ ...ok, timeZone: 42 }]), OracleTypeError, 'history[0].timeZone');
    expectOracleErrorWithFieldPrefix(login(ok, [], { timeZone: 'Nowhere/Land' }), OracleRangeError, 'options.timeZone');
  });

  it('rejects malformed strings and shapes', () => {
    expectOracleErrorWithFieldPrefix(login({ ...ok, country: '  ' }), OracleRangeError, 'event.country');
    expectOracleErrorWithFieldPrefix(login({ ...ok, deviceId: 7 }), OracleTypeError, 'event.deviceId');
    expectOracleErrorWithFieldPrefix(login({ ...ok, ip: null }), OracleTypeError, 'event.ip');
    expectOracleErrorWithFieldPrefix(login({ ...ok, userAgent: {} }), OracleTypeError, 'event.userAgent');
    expectOracleErrorWithFieldPrefix(login({ ...ok, city: 1 }), OracleTypeError, 'event.city');
    expectOracleErrorWithFieldPrefix(login({ ...ok, timeZone: null }), OracleTypeError, 'event.timeZone');
    expectOracleErrorWithFieldPrefix(login(null), OracleTypeError, 'event');
    expectOracleErrorWithFieldPrefix(login(ok, 'history'), OracleTypeError, 'history');
    expectOracleErrorWithFieldPrefix(login(ok, [ok, 3]), OracleTypeError, 'history[1]');
  });

  it('rejects bad options', () => {
    expectOracleErrorWithFieldPrefix(login(ok, [], 'strict'), OracleTypeError, 'options');
    expectOracleErrorWithFieldPrefix(login(ok, [], { weights: { typo: 3 } }), OracleTypeError, 'options.weights.typo');
    expectOracleErrorWithFieldPrefix(login(ok, [], { weights: { burst: 120 } }), OracleRangeError, 'options.weights.burst');
    expectOracleErrorWithFieldPrefix(login(ok, [], { threshold: -1 }), OracleRangeError, 'options.threshold');
    expectOracleErrorWithFieldPrefix(login(ok, [], { maxSpeedKmh: 0 }), OracleRangeError, 'options.maxSpeedKmh');
    expectOracleErrorWithFieldPrefix(login(ok, [], { geoToleranceKm: -5 }), OracleRangeError, 'options.geoToleranceKm');
    expectOracleErrorWithFieldPrefix(login(ok, [], { burstCount: 1 }), OracleRangeError, 'options.burstCount');
    expectOracleErrorWithFieldPrefix(login(ok, [], { burstCount: 4.5 }), OracleRangeError, 'options.burstCount');
    expectOracleErrorWithFieldPrefix(login(ok, [], { burstWindowMinutes: 0 }), OracleRangeError, 'options.burstWindowMinutes');
    expectOracleErrorWithFieldPrefix(login(ok, [], { unusualHourMinHistory: 1 }), OracleRangeError, 'options.unusualHourMinHistory');
    expectOracleErrorWithFieldPrefix(login(ok, [], { unusualHourDeviations: 0 }), OracleRangeError, 'options.unusualHourDeviations');
    expectOracleErrorWithFieldPrefix(login(ok, [], { unusualHourMinDistanceHours: 13 }), OracleRangeError, 'options.unusualHourMinDistanceHours');
  });

  it('rejects a profile not made by createLoginProfile', () => {
    const fake = { ...createLoginProfile([]) } as LoginProfile;
    expectOracleErrorWithFieldPrefix(() => assessLoginWithProfile(fake, ok), OracleTypeError, 'profile');
    expectOracleErrorWithFieldPrefix(() => assessAndRecordLogin(undefined as never, ok), OracleTypeError, 'profile');
  });
});

describe('userRiskScore validation', () => {
  const base = { privileged: false, mfaEnabled: true, recentAnomalies: 0, now: '2025-01-01T00:00:00Z' };
  const score = (edit: Record<string, unknown>, options?: unknown) => () =>
    userRiskScore({ ...base, ...edit } as never, options as never);

  it('rejects missing or bad fields', () => {
    expectOracleErrorWithFieldPrefix(score({ now: undefined }), OracleTypeError, 'now');
    expectOracleErrorWithFieldPrefix(score({ now: 'soon' }), OracleRangeError, 'now');
    expectOracleErrorWithFieldPrefix(score({ privileged: 'admin' }), OracleTypeError, 'privileged');
    expectOracleErrorWithFieldPrefix(score({ mfaEnabled: 1 }), OracleTypeError, 'mfaEnabled');
    expectOracleErrorWithFieldPrefix(score({ recentAnomalies: -1 }), OracleRangeError, 'recentAnomalies');
    expectOracleErrorWithFieldPrefix(score({ recentAnomalies: 1.5 }), OracleRangeError, 'recentAnomalies');
    expectOracleErrorWithFieldPrefix(score({ passwordAgeDays: Number.NaN }), OracleRangeError, 'passwordAgeDays');
    expectOracleErrorWithFieldPrefix(score({ lastLoginAt: 'never' }), OracleRangeError, 'lastLoginAt');
    expectOracleErrorWithFieldPrefix(() => userRiskScore(null as never), OracleTypeError, 'input');
  });

  it('rejects bad options', () => {
    expectOracleErrorWithFieldPrefix(score({}, { highAt: 20 }), OracleRangeError, 'options.highAt');
    expectOracleErrorWithFieldPrefix(score({}, { weights: { admin: 5 } }), OracleTypeError, 'options.weights.admin');
    expectOracleErrorWithFieldPrefix(score({}, { staleLoginDays: -1 }), OracleRangeError, 'options.staleLoginDays');
  });
});

describe('findStaleAccounts validation', () => {
  const users = [{ id: 'a', createdAt: '2024-01-01T00:00:00Z' }];
  const find = (u: unknown, o: unknown) => () => findStaleAccounts(u as never, o as never);

  it('rejects missing now and bad accounts', () => {
    expectOracleErrorWithFieldPrefix(find(users, undefined), OracleTypeError, 'options');
    expectOracleErrorWithFieldPrefix(find(users, {}), OracleTypeError, 'options.now');
    expectOracleErrorWithFieldPrefix(find(users, { now: '2025-01-01T00:00:00Z', inactiveDays: -1 }), OracleRangeError, 'options.inactiveDays');
    expectOracleErrorWithFieldPrefix(find('users', { now: '2025-01-01T00:00:00Z' }), OracleTypeError, 'users');
    expectOracleErrorWithFieldPrefix(find([...users, { id: 2, createdAt: '2024-01-01T00:00:00Z' }], { now: '2025-01-01T00:00:00Z' }), OracleTypeError, 'users[1].id');
    expectOracleErrorWithFieldPrefix(find([{ id: 'b' }], { now: '2025-01-01T00:00:00Z' }), OracleTypeError, 'users[0].createdAt');
    expectOracleErrorWithFieldPrefix(find([{ id: 'b', createdAt: '2024-01-01T00:00:00Z', lastLoginAt: 'x' }], { now: '2025-01-01T00:00:00Z' }), OracleRangeError, 'users[0].lastLoginAt');
  });
});
