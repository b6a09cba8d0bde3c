export { createIdentity } from './create-identity';
export type { BlockUserOptions, ExportUsersOptions, Identity, IdentityAuditErrorEvent, IdentityCallOptions, IdentityFeature, IdentityOptions, ListUsersOptions } from './types';
