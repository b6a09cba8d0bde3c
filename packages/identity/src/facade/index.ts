export { createIdentity } from './create-identity';
export type { BlockUserOptions, ExportUsersOptions, Identity, IdentityCallOptions, IdentityFeature, IdentityOptions, ListUsersOptions } from './types';
