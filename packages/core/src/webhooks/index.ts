export { type Ed25519PublicKeyInput, type VerifyEd25519Options, createEd25519PublicKey, verifyEd25519 } from './ed25519';
export {
  type ComputeHmacSha256Options,
  type SignatureEncoding,
  type VerifyHmacSha256Options,
  computeHmacSha256,
  verifyHmacSha256,
} from './hmac';
export {
  type ReplayCheckInput,
  type ReplayCheckOptions,
  type ReplayCheckResult,
  type ReplayGuard,
  type ReplayGuardOptions,
  type ReplayRejectionReason,
  type TimestampUnit,
  ReplayError,
  createReplayGuard,
} from './replay-guard';
export {
  type MemorySeenIdStoreOptions,
  type SeenIdStore,
  type SeenIdStoreCallOptions,
  createMemorySeenIdStore,
} from './seen-id-store';
