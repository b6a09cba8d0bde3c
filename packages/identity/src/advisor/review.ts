import { ValidationError, abortReason } from '@almanac/core';
import type { Clock } from '@almanac/core';
import { findStaleAccounts, userRiskScore } from '@almanac/oracle';
import type { UserRiskReason } from '@almanac/oracle';
import type { Identity } from '../facade/types';
import type { User } from '../spec';
import { mapOrdered } from './ordered-map';
import type { AccessReviewFinding, AccessReviewOptions, LoginHistoryStore, ResolvedSecurityPolicy, ReviewedUser } from './types';

const DAY_MS = 86_400_000;

interface ReviewContext {
  readonly identity: Identity;
  readonly history: LoginHistoryStore;
  readonly policy: ResolvedSecurityPolicy;
  readonly clock: Clock;
}

interface Ranked {
  readonly user: ReviewedUser;
  readonly score: number;
  readonly level: 'medium' | 'high';
  readonly reasons: readonly UserRiskReason[];
  readonly mfaKnown: boolean;
}

/** Keeps the `limit` riskiest users seen (ties: lower id first) without holding the whole tenant. */
class TopRisks {
  readonly #items: Ranked[] = [];
  constructor(readonly limit: number) {}
  static before(a: Ranked, b: Ranked): boolean {
    return a.score > b.score || (a.score === b.score && a.user.id < b.user.id);
  }
  offer(item: Ranked): void {
    if (this.limit === 0) return;
    const items = this.#items;
    if (items.length === this.limit && !TopRisks.before(item, items[items.length - 1] as Ranked)) return;
    let i = items.length;
    while (i > 0 && TopRisks.before(item, items[i - 1] as Ranked)) i--;
    items.splice(i, 0, item);
    if (items.length > this.limit) items.pop();
  }
  get items(): readonly Ranked[] {
    return this.#items;
  }
}

const refOf = (user: User): ReviewedUser => ({ id: user.id, email: user.email, name: user.name });

/** Streams the access review: per-user findings in listing order, then high risks, then the summary. */
export async function* reviewAccess(context: ReviewContext, options: AccessReviewOptions): AsyncGenerator<AccessReviewFinding> {
  const { identity, history, policy, clock } = context;
  if (options.now !== undefined && (!(options.now instanceof Date) || Number.isNaN(options.now.getTime()))) {
    throw new ValidationError(undefined, [{ path: 'options.now', message: 'must be a valid Date' }], { operation: 'reviewAccess' });
  }
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new ValidationError(undefined, [{ path: 'options.concurrency', message: 'must be an integer from 1 to 64' }], { operation: 'reviewAccess' });
  }
  const now = options.now ?? new Date(clock.now());
  const signal = options.signal;
  const call = signal === undefined ? {} : { signal };

  // Anomalies of the window, counted in one pass over the history rather than one query per user.
  const anomalies = new Map<string, number>();
  for await (const login of history.scan({ since: new Date(now.getTime() - policy.anomalyWindowDays * DAY_MS), until: now })) {
    if (login.anomalous) anomalies.set(login.userId, (anomalies.get(login.userId) ?? 0) + 1);
  }

  const hasRoles = identity.supports('roles');
  const roleNames = new Map<string, string>();
  if (hasRoles) for (const role of await identity.listRoles(call)) roleNames.set(role.id, role.name);
  const nameOf = (id: string) => roleNames.get(id) ?? id;
  const isPrivileged = (id: string) => policy.privilegedRoles.includes(id.toLowerCase()) || policy.privilegedRoles.includes(nameOf(id).toLowerCase());
  const signInActivity = identity.supports('signInActivity');
  const canFetchMfa = identity.supports('mfaStatus') && policy.fetchMfaStatus !== 'none';

  const top = new TopRisks(policy.highRiskLimit);
  const totals = { users: 0, staleAccounts: 0, privilegedWithoutMfa: 0, blockedWithRoles: 0, activityUnknown: 0 };

  const examine = async (user: User): Promise<AccessReviewFinding[]> => {
    if (signal?.aborted) throw abortReason(signal);
    const findings: AccessReviewFinding[] = [];
    const ref = refOf(user);
    const roles = user.roles ?? (hasRoles ? (await identity.listUserRoles(user.id, call)).map((role) => role.id) : []);
    const privilegedRoles = roles.filter(isPrivileged);
    const privileged = privilegedRoles.length > 0;
    let mfa = user.mfaEnabled;
    if (mfa === undefined && canFetchMfa && (privileged || policy.fetchMfaStatus === 'all')) {
      mfa = (await identity.getMfaStatus(user.id, call)).enabled;
    }

    // Last sign-in: the provider's when it reports activity, else what the advisor has seen.
    let lastLoginAt: Date | undefined = user.lastLoginAt;
    let activityKnown = signInActivity;
    if (lastLoginAt === undefined) {
      const seen = await history.lastLogin(user.id);
      if (seen !== undefined) {
        lastLoginAt = new Date(seen.at);
        activityKnown = true;
      }
    }
    if (activityKnown) {
      const stale = findStaleAccounts([{ id: user.id, createdAt: user.createdAt, lastLoginAt: lastLoginAt ?? null }], {
        now,
        inactiveDays: policy.staleAfterDays,
      })[0];
      if (stale !== undefined) findings.push({ kind: 'stale_account', user: ref, inactiveDays: stale.inactiveDays, neverLoggedIn: stale.neverLoggedIn });
    } else {
      totals.activityUnknown++;
    }
    if (privileged && mfa === false) findings.push({ kind: 'privileged_without_mfa', user: ref, roles: privilegedRoles.map(nameOf) });
    if (user.blocked && roles.length > 0) findings.push({ kind: 'blocked_with_roles', user: ref, roles: roles.map(nameOf) });

    const risk = userRiskScore(
      { privileged, mfaEnabled: mfa ?? true, recentAnomalies: anomalies.get(user.id) ?? 0, lastLoginAt: lastLoginAt ?? null, now },
      policy.userRisk,
    );
    if (risk.level === 'high' || (risk.level === 'medium' && policy.minRiskLevel === 'medium')) {
      top.offer({ user: ref, score: risk.score, level: risk.level, reasons: risk.reasons, mfaKnown: mfa !== undefined });
    }
    return findings;
  };

  for await (const findings of mapOrdered(identity.listUsers(call), concurrency, examine)) {
    totals.users++;
    for (const finding of findings) {
      if (finding.kind === 'stale_account') totals.staleAccounts++;
      else if (finding.kind === 'privileged_without_mfa') totals.privilegedWithoutMfa++;
      else if (finding.kind === 'blocked_with_roles') totals.blockedWithRoles++;
      yield finding;
    }
  }
  for (const item of top.items) yield { kind: 'high_risk', ...item };
  yield { kind: 'summary', now, highRisk: top.items.length, ...totals };
}
