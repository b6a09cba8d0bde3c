export { type EncryptedTokenStore, type EncryptedTokenStoreOptions, createEncryptedTokenStore } from './encrypted-token-store';
export { type AtomicFileSystem, type FileTokenStoreOptions, createFileTokenStore } from './file-token-store';
export { VAULT_KEY_BYTES, type VaultKeyring, generateKey } from './keyring';
export { createMemoryTokenStore } from './memory-token-store';
export { type TokenSet, parseTokenSet } from './token-set';
export type { TokenStore, TokenStoreCallOptions } from './token-store';
export { type DecryptJsonOptions, type TokenVault, type VaultCryptOptions, createTokenVault } from './vault';
