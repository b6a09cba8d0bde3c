import { parse } from '@almanac/core';
import { LOGIN_REASON_CODES, assessLogin, userRiskScore } from '@almanac/oracle';
import type { LoginReasonCode, LoginRiskReason } from '@almanac/oracle';
import * as z from '@almanac/core/schema';
import { withOracle } from './oracle-errors';
import type { LoginAction, ResolvedSecurityPolicy, SecurityPolicy } from './types';

const ACTIONS = ['allow', 'step_up_mfa', 'block'] as const;
const SEVERITY: Readonly<Record<LoginAction, number>> = { allow: 0, step_up_mfa: 1, block: 2 };

/** Admin-like role names that count as privileged unless the policy says otherwise. */
export const DEFAULT_PRIVILEGED_ROLES: readonly string[] = Object.freeze([
  'admin',
  'administrator',
  'owner',
  'superuser',
  'global administrator',
  'privileged role administrator',
]);

const action = z.enum(ACTIONS);
const policySchema = z
  .object({
    login: z.record(z.string(), z.unknown()).optional(),
    rules: z.array(z.object({ minScore: z.number().min(0).max(100), action })).optional(),
    reasonActions: z.object(Object.fromEntries(LOGIN_REASON_CODES.map((code) => [code, action.optional()]))).strict().optional(),
    privilegedRoles: z.array(z.string().min(1)).optional(),
    staleAfterDays: z.number().min(0).optional(),
    anomalyWindowDays: z.number().positive().optional(),
    userRisk: z.record(z.string(), z.unknown()).optional(),
    highRiskLimit: z.number().int().min(0).optional(),
    minRiskLevel: z.enum(['medium', 'high']).optional(),
    historyLimit: z.number().int().min(1).max(100_000).optional(),
    fetchMfaStatus: z.enum(['privileged', 'all', 'none']).optional(),
  })
  .strict();

/** Validates a policy (oracle options included, by a dry run) and fills in defaults. */
export function resolvePolicy(policy: SecurityPolicy | undefined): ResolvedSecurityPolicy {
  const p = parse(policySchema, policy ?? {}, { operation: 'createSecurityAdvisor', path: 'policy' }) as SecurityPolicy;
  // Oracle validates its own options; a dry run surfaces mistakes now, named under `policy.`.
  withOracle('createSecurityAdvisor', { options: 'policy.login' }, () => assessLogin([], { at: new Date(0) }, p.login));
  withOracle('createSecurityAdvisor', { options: 'policy.userRisk' }, () =>
    userRiskScore({ privileged: false, mfaEnabled: true, recentAnomalies: 0, now: new Date(0) }, p.userRisk),
  );
  return Object.freeze({
    login: p.login,
    rules: Object.freeze(
      [...(p.rules ?? [{ minScore: 80, action: 'block' as const }, { minScore: 50, action: 'step_up_mfa' as const }])].sort(
        (a, b) => b.minScore - a.minScore,
      ),
    ),
    reasonActions: Object.freeze({ ...p.reasonActions }),
    privilegedRoles: Object.freeze((p.privilegedRoles ?? DEFAULT_PRIVILEGED_ROLES).map((role) => role.toLowerCase())),
    staleAfterDays: p.staleAfterDays ?? 90,
    anomalyWindowDays: p.anomalyWindowDays ?? 30,
    userRisk: p.userRisk,
    highRiskLimit: p.highRiskLimit ?? 20,
    minRiskLevel: p.minRiskLevel ?? 'medium',
    historyLimit: p.historyLimit ?? 200,
    fetchMfaStatus: p.fetchMfaStatus ?? 'privileged',
  });
}

/** The policy's action for a score and its reasons: the stricter of the score rule and any reason rule. */
export function decide(policy: ResolvedSecurityPolicy, score: number, reasons: readonly LoginRiskReason[]): LoginAction {
  let decided: LoginAction = policy.rules.find((rule) => score >= rule.minScore)?.action ?? 'allow';
  for (const reason of reasons) {
    const forced = policy.reasonActions[reason.code as LoginReasonCode];
    if (forced !== undefined && SEVERITY[forced] > SEVERITY[decided]) decided = forced;
  }
  return decided;
}
