import { describe, expect, it } from 'vitest';
import { findStaleAccounts, userRiskScore } from '../src/risk';

const NOW = '2025-01-01T00:00:00Z';
const daysBefore = (days: number) => new Date(Date.parse(NOW) - days * 86_400_000);
const base = { privileged: false, mfaEnabled: true, recentAnomalies: 0, now: NOW };
const codes = (r: { reasons: readonly { code: string }[] }) => r.reasons.map((x) => x.code);

describe('userRiskScore', () => {
  it('scores a clean account 0, low', () => {
    expect(userRiskScore(base)).toEqual({ score: 0, level: 'low', reasons: [] });
  });

  it('makes a privileged account without MFA high on its own', () => {
    const r = userRiskScore({ ...base, privileged: true, mfaEnabled: false });
    expect(r).toEqual({
      score: 60,
      level: 'high',
      reasons: [{ code: 'privileged_without_mfa', points: 60, detail: 'privileged account without MFA' }],
    });
  });

  it('applies the MFA and privilege rules to exactly the right combinations', () => {
    // The seed's `a || b && c` precedence bug flagged every privileged account as lacking MFA.
    expect(codes(userRiskScore({ ...base, privileged: true, mfaEnabled: true }))).toEqual(['privileged']);
    expect(codes(userRiskScore({ ...base, privileged: false, mfaEnabled: false }))).toEqual(['mfa_disabled']);
    expect(codes(userRiskScore({ ...base, privileged: false, mfaEnabled: true }))).toEqual([]);
    expect(userRiskScore({ ...base, privileged: true, mfaEnabled: true }).score).toBe(10);
    expect(userRiskScore({ ...base, mfaEnabled: false }).score).toBe(20);
  });

  it('scales recent anomalies at 15 points each, capped at 45', () => {
    expect([0, 1, 2, 3, 7].map((n) => userRiskScore({ ...base, recentAnomalies: n }).score)).toEqual([0, 15, 30, 45, 45]);
    expect(userRiskScore({ ...base, recentAnomalies: 2 }).level).toBe('medium');
  });

  it('flags a login 90 days ago, not 89.9, and never one after now', () => {
    expect(codes(userRiskScore({ ...base, lastLoginAt: daysBefore(90) }))).toEqual(['stale_login']);
    expect(userRiskScore({ ...base, lastLoginAt: daysBefore(89.9) }).reasons).toEqual([]);
    expect(userRiskScore({ ...base, lastLoginAt: daysBefore(-3) }).reasons).toEqual([]);
    expect(userRiskScore({ ...base, lastLoginAt: null }).reasons).toEqual([]);
  });

  it('flags a password 365 days old, not 364', () => {
    expect(userRiskScore({ ...base, passwordAgeDays: 365 }).reasons).toEqual([
      { code: 'old_password', points: 10, detail: 'password 365 days old (limit 365)' },
    ]);
    expect(userRiskScore({ ...base, passwordAgeDays: 364 }).reasons).toEqual([]);
  });

  it('caps the score at 100 while listing every reason with its points', () => {
    const r = userRiskScore({
      privileged: true,
      mfaEnabled: false,
      recentAnomalies: 4,
      lastLoginAt: daysBefore(400),
      passwordAgeDays: 800,
      now: NOW,
    });
    expect(r.reasons.map((x) => [x.code, x.points])).toEqual([
      ['privileged_without_mfa', 60],
      ['recent_anomalies', 45],
      ['stale_login', 10],
      ['old_password', 10],
    ]);
    expect(r.score).toBe(100);
    expect(r.level).toBe('high');
  });

  it('honours options', () => {
    const r = userRiskScore(
      { ...base, recentAnomalies: 2, passwordAgeDays: 100 },
      { weights: { recent_anomalies: 5 }, passwordMaxAgeDays: 90, mediumAt: 10, highAt: 20 },
    );
    expect(r.reasons.map((x) => x.points)).toEqual([10, 10]);
    expect(r.level).toBe('high');
  });
});

describe('findStaleAccounts', () => {
  const users = [
    { id: 'recent', createdAt: daysBefore(500), lastLoginAt: daysBefore(3) },
    { id: 'idle', createdAt: daysBefore(500), lastLoginAt: daysBefore(200) },
    { id: 'never-old', createdAt: daysBefore(120) },
    { id: 'never-new', createdAt: daysBefore(10), lastLoginAt: null },
    { id: 'edge', createdAt: daysBefore(500), lastLoginAt: daysBefore(90).toISOString() },
    { id: 'almost', createdAt: daysBefore(500), lastLoginAt: daysBefore(89.99) },
  ];

  it('lists accounts idle at least 90 days, most inactive first, never-logged-in counted from creation', () => {
    expect(findStaleAccounts(users, { now: NOW })).toEqual([
      { id: 'idle', inactiveDays: 200, neverLoggedIn: false },
      { id: 'never-old', inactiveDays: 120, neverLoggedIn: true },
      { id: 'edge', inactiveDays: 90, neverLoggedIn: false },
    ]);
  });

  it('honours inactiveDays and breaks ties by id', () => {
    const tied = [
      { id: 'b', createdAt: daysBefore(40) },
      { id: 'a', createdAt: daysBefore(40) },
    ];
    expect(findStaleAccounts([...users, ...tied], { now: NOW, inactiveDays: 10 }).map((s) => s.id)).toEqual([
      'idle',
      'never-old',
      'edge',
      'almost',
      'a',
      'b',
      'never-new',
    ]);
  });

  it('treats a login after now as active and never mutates its inputs', () => {
    const frozen = Object.freeze(users.map((u) => Object.freeze({ ...u })));
    const future = Object.freeze([...frozen, Object.freeze({ id: 'future', createdAt: daysBefore(500), lastLoginAt: daysBefore(-5) })]);
    const result = findStaleAccounts(future, Object.freeze({ now: NOW, inactiveDays: 0 }));
    expect(result.find((s) => s.id === 'future')).toEqual({ id: 'future', inactiveDays: 0, neverLoggedIn: false });
    expect(future[1]?.lastLoginAt).toEqual(daysBefore(200));
  });

  it('returns an empty list for no users', () => {
    expect(findStaleAccounts([], { now: NOW })).toEqual([]);
  });
});
