export { formatPath, parse, toValidationIssues } from './parse';
export type { ParseContext } from './parse';
export { envVarName, loadConfig } from './config';
export type { LoadConfigOptions } from './config';
