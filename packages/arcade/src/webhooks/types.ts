/**
 * An inbound webhook endpoint on web-standard types: a `Request` in, a `Response` out. It runs
 * unchanged in Node 20+, Bun, Deno and Workers; {@link toNodeListener} adapts it to `node:http`.
 */
export interface WebhookHandler {
  /** Verifies and answers one delivery. Never rejects: every failure is an HTTP status. */
  handle(request: Request): Promise<Response>;
  /**
   * Resolves once every dispatch started so far has settled (handlers run after the response
   * is decided). For graceful shutdown and tests.
   */
  idle(): Promise<void>;
}

/** Why a delivery was refused, as reported to `onReject` (never with secrets or signatures). */
export type WebhookRejectionReason =
  | 'method'
  | 'too-large'
  | 'missing-header'
  | 'malformed-header'
  | 'bad-signature'
  | 'stale'
  | 'future'
  | 'duplicate'
  | 'malformed-body';

/** A refused delivery, for metrics and logs: the reason and the status sent, nothing secret. */
export interface WebhookRejection {
  /** Why it was refused. */
  readonly reason: WebhookRejectionReason;
  /** HTTP status answered. */
  readonly status: number;
  /** The delivery id when it was readable (never a signature or body). */
  readonly id?: string | undefined;
}
