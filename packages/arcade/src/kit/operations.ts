import type { Clock, Logger } from '@almanac/core';
import { SPECIFICATION_VERSION, createOperationRunner } from '@almanac/core/kit';
import type { OperationAuditEvent, OperationRunner, ProviderContract } from '@almanac/core/kit';

/** Observability options shared by the Twitch and Discord clients (core's operation runner). */
export interface ArcadeOperationOptions {
  /** Receives one audit event per operation (`{ domain: 'arcade', provider, operation, outcome, durationMs, errorCode?, attributes }`). */
  onAudit?: ((event: OperationAuditEvent) => void) | undefined;
  /** Deadline of each operation in ms, rate-limit waits included. Default 120 000. */
  timeoutMs?: number | undefined;
}

/** The provider descriptor the runner checks: the clients are the provider, with no optional capabilities. */
type ArcadeProvider = ProviderContract & { readonly capabilities: Readonly<Record<string, never>> };

/** The runner type of the arcade clients (internal). */
export type ArcadeRunner = OperationRunner<ArcadeProvider, Record<string, never>>;

// Rate-limit waits are part of an operation: Discord may ask for up to a minute, Twitch's
// bucket refills per minute. The deadline is a safety net, not a latency target.
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Creates the operation runner of one client: validation through its schemas, deadlines merged
 * with the caller's signal, errors as `AlmanacError`s naming provider and operation, one span
 * and one audit event per call. The domain is `arcade`; the provider `twitch` or `discord`.
 */
export function createArcadeRunner(
  provider: 'twitch' | 'discord',
  options: ArcadeOperationOptions & { clock?: Clock | undefined; logger?: Logger | undefined },
): ArcadeRunner {
  return createOperationRunner({
    domain: 'arcade',
    provider: { name: provider, specificationVersion: SPECIFICATION_VERSION, capabilities: {} },
    capabilityMethods: {},
    defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    timeoutMs: options.timeoutMs,
    clock: options.clock,
    logger: options.logger,
    onAudit: options.onAudit,
  });
}
