import { AlmanacError, ProviderError, ValidationError, parse, silentLogger, systemClock } from '@almanac/core';
import { assessLogin } from '@almanac/oracle';
import type { LoginEvent } from '@almanac/oracle';
import * as z from '@almanac/core/schema';
import { withOracle } from './oracle-errors';
import { decide, resolvePolicy } from './policy';
import { reviewAccess } from './review';
import type { LoginAttempt, LoginRecord, LoginVerdict, SecurityAdvisor, SecurityAdvisorOptions } from './types';

const attemptSchema = z
  .object({
    userId: z.string().min(1),
    at: z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a valid Date').optional(),
    ip: z.string().optional(),
    country: z.string().min(1).optional(),
    city: z.string().optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    deviceId: z.string().min(1).optional(),
    userAgent: z.string().optional(),
    timeZone: z.string().min(1).optional(),
  })
  .check((ctx) => {
    if ((ctx.value.lat === undefined) !== (ctx.value.lon === undefined)) {
      ctx.issues.push({ code: 'custom', message: 'lat and lon come together', input: ctx.value, path: [ctx.value.lat === undefined ? 'lat' : 'lon'] });
    }
  });

function isIdentity(value: unknown): boolean {
  const i = value as { blockUser?: unknown; listUsers?: unknown; supports?: unknown } | null;
  return typeof i === 'object' && i !== null && typeof i.blockUser === 'function' && typeof i.listUsers === 'function' && typeof i.supports === 'function';
}

function isHistory(value: unknown): boolean {
  const h = value as Record<string, unknown> | null;
  return typeof h === 'object' && h !== null && ['append', 'recent', 'lastLogin', 'scan'].every((m) => typeof h[m] === 'function');
}

/** The oracle's view of a stored login (verdict fields dropped). */
function toLoginEvent(record: LoginRecord | LoginAttempt & { at: Date }): LoginEvent {
  return {
    at: record.at,
    ip: record.ip,
    country: record.country,
    city: record.city,
    lat: record.lat,
    lon: record.lon,
    deviceId: record.deviceId,
    userAgent: record.userAgent,
    timeZone: record.timeZone,
  };
}

/**
 * Creates the security advisor. `recordLogin` scores a sign-in against the user's history with
 * oracle's `assessLogin`, stores it, maps the score to an action through the policy (data, not
 * code) and, on `block`, blocks the user through the identity facade (sessions revoked where the
 * provider can; audited with the advisor as actor). `reviewAccess` streams an access review.
 * Deterministic: no randomness, the clock is injected, and inputs are never mutated.
 */
export function createSecurityAdvisor(options: SecurityAdvisorOptions): SecurityAdvisor {
  if (typeof options !== 'object' || options === null) throw new ValidationError(undefined, [{ path: 'options', message: 'Required' }]);
  const issues: { path: string; message: string }[] = [];
  if (!isIdentity(options.identity)) issues.push({ path: 'options.identity', message: 'must be an Identity facade (createIdentity)' });
  if (!isHistory(options.history)) issues.push({ path: 'options.history', message: 'must be a LoginHistoryStore' });
  if (options.actor !== undefined && (typeof options.actor !== 'string' || options.actor.length === 0)) {
    issues.push({ path: 'options.actor', message: 'must be a non-empty string' });
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues, { operation: 'createSecurityAdvisor' });
  const policy = resolvePolicy(options.policy);
  const { identity, history } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const actor = options.actor ?? 'security-advisor';
  // One login per user at a time, so each sees the previous one in its history.
  const perUser = new Map<string, Promise<unknown>>();

  const serialise = <T>(userId: string, work: () => Promise<T>): Promise<T> => {
    const previous = perUser.get(userId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    perUser.set(userId, tail);
    void tail.then(() => {
      if (perUser.get(userId) === tail) perUser.delete(userId);
    });
    return next;
  };

  const recordLogin = async (attempt: LoginAttempt, callOptions: { readonly signal?: AbortSignal | undefined } = {}): Promise<LoginVerdict> => {
    const parsed = parse(attemptSchema, attempt, { operation: 'recordLogin', path: 'attempt' }) as LoginAttempt;
    const at = parsed.at ?? new Date(clock.now());
    const event = { ...parsed, at };
    return serialise(parsed.userId, async () => {
      const earlier = await history.recent(parsed.userId, { before: at, limit: policy.historyLimit });
      const assessment = withOracle('recordLogin', { event: 'attempt', options: 'policy.login' }, () =>
        assessLogin(earlier.map(toLoginEvent), toLoginEvent(event), policy.login),
      );
      const action = decide(policy, assessment.score, assessment.reasons);
      const record: LoginRecord = {
        userId: parsed.userId,
        at: at.toISOString(),
        ...(parsed.ip === undefined ? {} : { ip: parsed.ip }),
        ...(parsed.country === undefined ? {} : { country: parsed.country }),
        ...(parsed.city === undefined ? {} : { city: parsed.city }),
        ...(parsed.lat === undefined ? {} : { lat: parsed.lat }),
        ...(parsed.lon === undefined ? {} : { lon: parsed.lon }),
        ...(parsed.deviceId === undefined ? {} : { deviceId: parsed.deviceId }),
        ...(parsed.userAgent === undefined ? {} : { userAgent: parsed.userAgent }),
        ...(parsed.timeZone === undefined ? {} : { timeZone: parsed.timeZone }),
        score: assessment.score,
        anomalous: assessment.anomalous,
        action,
      };
      await history.append(record);
      const verdict = { userId: parsed.userId, at, action, score: assessment.score, anomalous: assessment.anomalous, reasons: assessment.reasons };
      if (action !== 'block') return { ...verdict, blocked: false };
      try {
        await identity.blockUser(parsed.userId, {
          actor,
          ...(callOptions.signal === undefined ? {} : { signal: callOptions.signal }),
        });
        return { ...verdict, blocked: true };
      } catch (error) {
        const enforcementError = AlmanacError.isInstance(error)
          ? error
          : new ProviderError('Blocking the user failed', { operation: 'recordLogin', cause: error });
        logger.warn('security advisor: block verdict not enforced', { userId: parsed.userId, code: enforcementError.code });
        return { ...verdict, blocked: false, enforcementError };
      }
    });
  };

  return {
    policy,
    recordLogin,
    reviewAccess: (reviewOptions = {}) => reviewAccess({ identity, history, policy, clock }, reviewOptions),
  };
}
