/**
 * Webhook verification: timing-safe HMAC-SHA256 and Ed25519 signature checks, and a replay
 * guard that rejects stale, future and already-seen deliveries.
 *
 * @packageDocumentation
 */
export { createEd25519PublicKey, verifyEd25519 } from './ed25519';
export type { Ed25519PublicKeyInput, VerifyEd25519Options } from './ed25519';
export { computeHmacSha256, verifyHmacSha256 } from './hmac';
export type { ComputeHmacSha256Options, SignatureEncoding, VerifyHmacSha256Options } from './hmac';
export { ReplayError, createReplayGuard } from './replay-guard';
export type {
  ReplayCheckInput,
  ReplayCheckOptions,
  ReplayCheckResult,
  ReplayGuard,
  ReplayGuardOptions,
  ReplayRejectionReason,
  TimestampUnit,
} from './replay-guard';
export { createMemorySeenIdStore } from './seen-id-store';
export type { MemorySeenIdStoreOptions, SeenIdStore, SeenIdStoreCallOptions } from './seen-id-store';
