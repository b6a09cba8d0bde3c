export {
  assessAndRecordLogin,
  assessLogin,
  assessLoginWithProfile,
  updateLoginProfile,
} from './assess-login';
export { haversineKm } from './geo';
export { DEFAULT_LOGIN_RISK_OPTIONS } from './login-options';
export { createLoginProfile, type LoginHourProfile, type LoginProfile } from './login-profile';
export {
  LOGIN_REASON_CODES,
  type LoginAssessment,
  type LoginEvent,
  type LoginReasonCode,
  type LoginRiskOptions,
  type LoginRiskReason,
  type ResolvedLoginRiskOptions,
} from './login-types';
export {
  type AccountActivity,
  findStaleAccounts,
  type StaleAccount,
  type StaleAccountOptions,
} from './stale-accounts';
export {
  DEFAULT_USER_RISK_OPTIONS,
  type ResolvedUserRiskOptions,
  USER_RISK_REASON_CODES,
  type UserRiskInput,
  type UserRiskOptions,
  type UserRiskReason,
  type UserRiskReasonCode,
  type UserRiskScore,
  userRiskScore,
} from './user-risk';
