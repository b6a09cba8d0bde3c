/**
 * Secrets at rest: an AES-256-GCM token vault with key rotation, and token stores (memory,
 * atomic file, encrypted) for OAuth token sets.
 *
 * @packageDocumentation
 */
export { createEncryptedTokenStore } from './encrypted-token-store';
export type { EncryptedTokenStore, EncryptedTokenStoreOptions } from './encrypted-token-store';
export { createFileTokenStore } from './file-token-store';
export type { AtomicFileSystem, FileTokenStoreOptions } from './file-token-store';
export { VAULT_KEY_BYTES, generateKey } from './keyring';
export type { VaultKeyring } from './keyring';
export { createMemoryTokenStore } from './memory-token-store';
export { parseTokenSet } from './token-set';
export type { TokenSet } from './token-set';
export type { TokenStore, TokenStoreCallOptions } from './token-store';
export { createTokenVault } from './vault';
export type { DecryptJsonOptions, TokenVault, VaultCryptOptions } from './vault';
