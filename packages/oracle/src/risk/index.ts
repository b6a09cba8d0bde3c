/**
 * `@almanac/oracle/risk`: login and account risk: login assessment against learned profiles, stale
 * accounts and user risk scores.
 *
 * @packageDocumentation
 */
export {
  assessAndRecordLogin,
  assessLogin,
  assessLoginWithProfile,
  updateLoginProfile,
} from './assess-login';
export { haversineKm } from './geo';
export { DEFAULT_LOGIN_RISK_OPTIONS } from './login-options';
export { createLoginProfile } from './login-profile';
export type { LoginHourProfile, LoginProfile } from './login-profile';
export { LOGIN_REASON_CODES } from './login-types';
export type {
  LoginAssessment,
  LoginEvent,
  LoginReasonCode,
  LoginRiskOptions,
  LoginRiskReason,
  ResolvedLoginRiskOptions,
} from './login-types';
export { findStaleAccounts } from './stale-accounts';
export type { AccountActivity, StaleAccount, StaleAccountOptions } from './stale-accounts';
export { DEFAULT_USER_RISK_OPTIONS, USER_RISK_REASON_CODES, userRiskScore } from './user-risk';
export type {
  ResolvedUserRiskOptions,
  UserRiskInput,
  UserRiskOptions,
  UserRiskReason,
  UserRiskReasonCode,
  UserRiskScore,
} from './user-risk';
