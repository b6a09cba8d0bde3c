import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '@almanac/core';
import { expectAlmanacError } from '@almanac/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog, createFileLoginHistory, createMemoryAuditStore, createMemoryLoginHistory, createSecurityAdvisor } from '../src';
import type { AccessReviewFinding, LoginAttempt, SecurityPolicy } from '../src';
import { createMemoryIdentity } from '../src/adapters/memory';
import type { MemoryIdentityOptions } from '../src/adapters/memory';

const DAY = 86_400_000;
const START = Date.parse('2026-03-02T08:00:00Z');
const PARIS = { country: 'FR', lat: 48.8566, lon: 2.3522, deviceId: 'laptop-1', timeZone: 'Europe/Paris' };
const SYDNEY = { country: 'AU', lat: -33.8688, lon: 151.2093, deviceId: 'unknown-9', timeZone: 'Australia/Sydney' };

function tenant(options: MemoryIdentityOptions = {}) {
  const audit = createAuditLog({ store: createMemoryAuditStore() });
  const identity = createMemoryIdentity({
    roles: [{ id: 'admin', name: 'admin' }, 'viewer'],
    users: [
      { id: 'ada', email: 'ada@example.com', name: 'Ada', roles: ['viewer'], mfaMethods: ['otp'], createdAt: new Date(START - 400 * DAY) },
      { id: 'root', email: 'root@example.com', name: 'Root', roles: ['admin'], createdAt: new Date(START - 400 * DAY), lastLoginAt: new Date(START - DAY) },
      { id: 'old', email: 'old@example.com', name: 'Old', createdAt: new Date(START - 500 * DAY), lastLoginAt: new Date(START - 200 * DAY), mfaMethods: ['otp'] },
      { id: 'gone', email: 'gone@example.com', name: 'Gone', blocked: true, roles: ['viewer'], mfaMethods: ['otp'], createdAt: new Date(START - 10 * DAY), lastLoginAt: new Date(START - DAY) },
      { id: 'new', email: 'new@example.com', name: 'New', createdAt: new Date(START - 2 * DAY) },
    ],
    audit,
    ...options,
  });
  return { identity, audit };
}

/** Twelve weekday-morning logins from Paris on one laptop: a settled habit. */
async function habit(advisor: ReturnType<typeof createSecurityAdvisor>, userId = 'ada') {
  for (let day = 0; day < 12; day++) {
    const verdict = await advisor.recordLogin({ userId, at: new Date(START + day * DAY), ...PARIS });
    expect(verdict.action).toBe('allow');
  }
}

const lastHabit = START + 11 * DAY;

describe('security advisor: logins', () => {
  it('blocks a suspicious login (impossible travel, new country, new device) through the facade, audited', async () => {
    const { identity, audit } = tenant();
    const advisor = createSecurityAdvisor({ identity, history: createMemoryLoginHistory() });
    await habit(advisor);
    const verdict = await advisor.recordLogin({ userId: 'ada', at: new Date(lastHabit + 3_600_000), ...SYDNEY });
    expect(verdict).toMatchObject({ action: 'block', blocked: true, anomalous: true, score: 100 });
    // 10:00 in Sydney is also far from her Paris mornings.
    expect(verdict.reasons.map((r) => r.code)).toEqual(['new_country', 'new_device', 'impossible_travel', 'unusual_hour']);
    expect((await identity.getUser('ada')).blocked).toBe(true);
    expect(identity.provider.sessionsRevokedAt('ada')).toBeInstanceOf(Date);
    const entries = [];
    for await (const entry of audit.entries()) entries.push(entry);
    expect(entries.map((e) => [e.actor, e.action, e.target, e.outcome])).toEqual([
      ['security-advisor', 'blockUser', 'ada', 'attempt'],
      ['security-advisor', 'blockUser', 'ada', 'success'],
    ]);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('a block refused because the audit log is unavailable is reported as not enforced, and nothing is blocked', async () => {
    const failing = { append: async () => Promise.reject(new Error('EIO')), last: async () => undefined, lines: () => createMemoryAuditStore().lines() };
    const { identity } = tenant({ audit: createAuditLog({ store: failing }) });
    const advisor = createSecurityAdvisor({ identity, history: createMemoryLoginHistory() });
    await habit(advisor);
    const verdict = await advisor.recordLogin({ userId: 'ada', at: new Date(lastHabit + 3_600_000), ...SYDNEY });
    expect(verdict).toMatchObject({ action: 'block', blocked: false, enforcementError: { code: 'provider' } });
    expect(verdict.enforcementError?.message).toContain('audit log unavailable');
    expect(identity.provider.callCount('blockUser')).toBe(0);
    expect((await identity.getUser('ada')).blocked).toBe(false);
  });

  it('allows the habitual login and does not block', async () => {
    const { identity } = tenant();
    const advisor = createSecurityAdvisor({ identity, history: createMemoryLoginHistory() });
    await habit(advisor);
    const verdict = await advisor.recordLogin({ userId: 'ada', at: new Date(lastHabit + DAY), ...PARIS });
    expect(verdict).toMatchObject({ action: 'allow', blocked: false, score: 0 });
    expect((await identity.getUser('ada')).blocked).toBe(false);
  });

  it('asks for MFA between the thresholds (impossible travel within one country)', async () => {
    const { identity } = tenant();
    const advisor = createSecurityAdvisor({ identity, history: createMemoryLoginHistory() });
    await habit(advisor);
    // Marseille five minutes after Paris: 660 km in 5 min, same country, same laptop.
    const verdict = await advisor.recordLogin({ userId: 'ada', at: new Date(lastHabit + 300_000), ...PARIS, lat: 43.2965, lon: 5.3698 });
    expect(verdict).toMatchObject({ action: 'step_up_mfa', score: 60, blocked: false });
  });

  it('follows the policy as data: thresholds and per-reason actions', async () => {
    const cases: [SecurityPolicy, LoginAttempt, string][] = [
      [{}, { userId: 'ada', at: new Date(lastHabit + DAY), ...PARIS, country: 'BE', lat: 50.85, lon: 4.35 }, 'allow'],
      [{ rules: [{ minScore: 30, action: 'block' }] }, { userId: 'ada', at: new Date(lastHabit + DAY), ...PARIS, country: 'BE', lat: 50.85, lon: 4.35 }, 'block'],
      [{ rules: [], reasonActions: { new_device: 'step_up_mfa' } }, { userId: 'ada', at: new Date(lastHabit + DAY), ...PARIS, deviceId: 'phone-2' }, 'step_up_mfa'],
      [{ reasonActions: { new_device: 'allow' } }, { userId: 'ada', at: new Date(lastHabit + 3_600_000), ...SYDNEY }, 'block'],
    ];
    for (const [policy, attempt, expected] of cases) {
      const { identity } = tenant();
      const advisor = createSecurityAdvisor({ identity, history: createMemoryLoginHistory(), policy });
      await habit(advisor);
      expect((await advisor.recordLogin(attempt)).action, JSON.stringify(policy)).toBe(expected);
    }
  });

  it('reports a block it could not enforce instead of throwing', async () => {
    const { identity } = tenant({ capabilities: { block: false } });
    const advisor = createSecurityAdvisor({ identity, history: createMemoryLoginHistory() });
    await habit(advisor);
    const verdict = await advisor.recordLogin({ userId: 'ada', at: new Date(lastHabit + 3_600_000), ...SYDNEY });
    expect(verdict.action).toBe('block');
    expect(verdict.blocked).toBe(false);
    expect(verdict.enforcementError?.code).toBe('capability');
  });

  it('does not mutate what it is given and scores concurrent logins of one user in order', async () => {
    const { identity } = tenant();
    const history = createMemoryLoginHistory();
    const advisor = createSecurityAdvisor({ identity, history });
    const attempts = Array.from({ length: 5 }, (_, i) => Object.freeze({ userId: 'ada', at: new Date(START + i * DAY), ...PARIS }));
    const verdicts = await Promise.all(attempts.map((a) => advisor.recordLogin(a)));
    expect(verdicts[0]?.reasons.map((r) => r.code)).toEqual(['first_login']);
    expect(verdicts.slice(1).every((v) => v.score === 0)).toBe(true);
    expect(history.size).toBe(5);
  });

  it('validates attempts and policies, naming the field', async () => {
    const { identity } = tenant();
    const advisor = createSecurityAdvisor({ identity, history: createMemoryLoginHistory() });
    await expectAlmanacError(advisor.recordLogin({ userId: '', at: new Date(START) }), { code: 'validation', field: 'attempt.userId' });
    await expectAlmanacError(advisor.recordLogin({ userId: 'ada', lat: 10 }), { code: 'validation', field: 'attempt.lon' });
    await expectAlmanacError(advisor.recordLogin({ userId: 'ada', timeZone: 'Mars/Olympus' }), { code: 'validation', field: 'attempt.timeZone' });
    const history = createMemoryLoginHistory();
    expect(() => createSecurityAdvisor({ identity, history, policy: { rules: [{ minScore: 10, action: 'nuke' as never }] } })).toThrow(
      expect.objectContaining({ code: 'validation', issues: [expect.objectContaining({ path: 'policy.rules.0.action' })] }),
    );
    expect(() => createSecurityAdvisor({ identity, history, policy: { login: { threshold: 500 } } })).toThrow(
      expect.objectContaining({ code: 'validation', issues: [expect.objectContaining({ path: 'policy.login.threshold' })] }),
    );
    expect(() => createSecurityAdvisor({ identity, history, policy: { reasonActions: { typo: 'block' } as never } })).toThrow(
      expect.objectContaining({ code: 'validation' }),
    );
  });
});

describe('security advisor: access review', () => {
  async function review(findingsOf: AsyncIterable<AccessReviewFinding>) {
    const out: AccessReviewFinding[] = [];
    for await (const finding of findingsOf) out.push(finding);
    return out;
  }

  it('reports stale accounts, privileged users without MFA, blocked users holding roles, top risks, then a summary', async () => {
    const { identity } = tenant();
    const clock = createManualClock(START);
    const advisor = createSecurityAdvisor({ identity, history: createMemoryLoginHistory(), clock });
    const findings = await review(advisor.reviewAccess());
    const brief = findings.map((f) => ('user' in f ? `${f.kind}:${f.user.id}` : f.kind));
    expect(brief).toEqual([
      // In listing (id) order. Ada never signed in: idle since creation, 400 days.
      'stale_account:ada',
      'blocked_with_roles:gone',
      'stale_account:old',
      'privileged_without_mfa:root',
      // Only root reaches medium: privileged without MFA (60). `new` lacks MFA but holds nothing (20).
      'high_risk:root',
      'summary',
    ]);
    const summary = findings.at(-1);
    expect(summary).toMatchObject({ kind: 'summary', users: 5, staleAccounts: 2, privilegedWithoutMfa: 1, blockedWithRoles: 1, highRisk: 1, activityUnknown: 0 });
    const root = findings.find((f) => f.kind === 'high_risk' && f.user.id === 'root');
    expect(root).toMatchObject({ score: 60, level: 'high', mfaKnown: true });
  });

  it('counts recent anomalous logins into the risk score', async () => {
    const { identity } = tenant();
    const history = createMemoryLoginHistory();
    const advisor = createSecurityAdvisor({ identity, history, policy: { rules: [] } });
    await habit(advisor, 'old');
    for (let i = 1; i <= 3; i++) await advisor.recordLogin({ userId: 'old', at: new Date(lastHabit + i * 3_600_000), ...(i % 2 ? SYDNEY : PARIS) });
    const findings = await review(advisor.reviewAccess({ now: new Date(lastHabit + DAY) }));
    const old = findings.find((f) => f.kind === 'high_risk' && f.user.id === 'old');
    expect(old).toMatchObject({ level: 'medium' });
    expect(old && 'reasons' in old ? old.reasons.map((r) => r.code) : []).toContain('recent_anomalies');
  });

  it('streams over a large tenant without listing it into memory first', async () => {
    const users = Array.from({ length: 3_000 }, (_, i) => ({
      email: `u${i}@example.com`,
      createdAt: new Date(START - 30 * DAY),
      lastLoginAt: new Date(START - (i % 200) * DAY),
      mfaMethods: i % 3 === 0 ? [] : ['otp'],
    }));
    const identity = createMemoryIdentity({ users });
    const advisor = createSecurityAdvisor({ identity, history: createMemoryLoginHistory(), policy: { highRiskLimit: 5 } });
    let first: AccessReviewFinding | undefined;
    let pagesAtFirst = 0;
    let summary: AccessReviewFinding | undefined;
    for await (const finding of advisor.reviewAccess({ now: new Date(START) })) {
      if (first === undefined) {
        first = finding;
        pagesAtFirst = identity.provider.callCount('listUsersPage');
      }
      if (finding.kind === 'summary') summary = finding;
    }
    expect(first?.kind).toBe('stale_account');
    // The first finding came out after one page of 100, not after all 30.
    expect(pagesAtFirst).toBe(1);
    expect(identity.provider.callCount('listUsersPage')).toBe(30);
    // i % 200 >= 90 → 110 of every 200 users are stale.
    expect(summary).toMatchObject({ users: 3_000, staleAccounts: 1_650, highRisk: 5 });
  });
});

describe('login history stores', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'almanac-logins-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const record = (userId: string, t: number, anomalous = false) => ({
    userId,
    at: new Date(t).toISOString(),
    score: anomalous ? 70 : 0,
    anomalous,
    action: anomalous ? ('step_up_mfa' as const) : ('allow' as const),
  });

  it('memory: recent() returns the latest logins before an instant, oldest first, even if appended out of order', async () => {
    const store = createMemoryLoginHistory({ maxPerUser: 4 });
    for (const t of [5, 1, 3, 2, 4, 6]) await store.append(record('a', START + t * DAY));
    const recent = await store.recent('a', { before: new Date(START + 6 * DAY), limit: 2 });
    expect(recent.map((r) => r.at)).toEqual([new Date(START + 4 * DAY).toISOString(), new Date(START + 5 * DAY).toISOString()]);
    expect(store.size).toBe(4);
    expect((await store.lastLogin('a'))?.at).toBe(new Date(START + 6 * DAY).toISOString());
  });

  it('file: persists across instances and skips a torn last line, starting the next record on its own line', async () => {
    const path = join(dir, 'logins.jsonl');
    const first = createFileLoginHistory(path);
    await first.append(record('a', START));
    await first.append(record('a', START + DAY, true));
    await first.close();
    await writeFile(path, `${await readFile(path, 'utf8')}{"userId":"a","at":"2026-`);
    const warnings: string[] = [];
    const second = createFileLoginHistory(path, {
      logger: { debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} },
    });
    expect((await second.lastLogin('a'))?.anomalous).toBe(true);
    expect(warnings).toHaveLength(1);
    await second.append(record('b', START + 2 * DAY));
    await second.close();
    const third = createFileLoginHistory(path);
    const scanned = [];
    for await (const r of third.scan({ since: new Date(START), until: new Date(START + 3 * DAY) })) scanned.push(r.userId);
    expect(scanned.sort()).toEqual(['a', 'a', 'b']);
  });
});
