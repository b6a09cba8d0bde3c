export { advise } from './advise';
export type { Advice, AdviseOptions, Finding, FindingCategory, FindingSeverity } from './types';
