export { createSecurityAdvisor } from './advisor';
export { createFileLoginHistory } from './history-file';
export type { FileLoginHistory, FileLoginHistoryOptions } from './history-file';
export { createMemoryLoginHistory } from './history-memory';
export type { MemoryLoginHistory, MemoryLoginHistoryOptions } from './history-memory';
export { DEFAULT_PRIVILEGED_ROLES } from './policy';
export type {
  AccessReviewFinding,
  AccessReviewOptions,
  LoginAction,
  LoginAttempt,
  LoginHistoryStore,
  LoginRecord,
  LoginVerdict,
  PolicyRule,
  ResolvedSecurityPolicy,
  ReviewedUser,
  SecurityAdvisor,
  SecurityAdvisorOptions,
  SecurityPolicy,
} from './types';
