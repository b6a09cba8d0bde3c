import type { WebhookRejection, WebhookRejectionReason } from './types';

/** Default largest body accepted, in bytes: EventSub and interaction payloads are a few KiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Reads the raw body up to `maxBytes`; `undefined` when it is larger (the stream is cancelled). */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) return undefined;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** A JSON response. */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A short plain-text response; the text never echoes request content. */
export function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** Reports a rejection to the caller's hook (hook errors are swallowed: they must not change the answer). */
export function reportRejection(
  onReject: ((rejection: WebhookRejection) => void) | undefined,
  reason: WebhookRejectionReason,
  status: number,
  id?: string,
): void {
  // Stryker disable next-line ConditionalExpression: equivalent; calling a missing hook throws inside the try below, which swallows it
  if (!onReject) return;
  try {
    onReject(id === undefined ? { reason, status } : { reason, status, id });
  } catch {
    // A failing metrics hook must not turn a rejection into a 500.
  }
}

/**
 * Runs dispatches after the response is decided and tracks them so `idle()` can wait.
 * `schedule` defaults to a macrotask, so the caller's `await handle()` resolves first.
 */
export function createDispatchQueue(
  onError: ((error: unknown) => void) | undefined,
  schedule: (task: () => void) => void = (task) => {
    setTimeout(task, 0);
  },
): { dispatch(task: () => Promise<void> | void): void; idle(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  return {
    dispatch(task) {
      let settle!: () => void;
      const done = new Promise<void>((resolve) => {
        settle = resolve;
      });
      pending.add(done);
      schedule(() => {
        Promise.resolve()
          .then(task)
          .catch((error: unknown) => {
            try {
              // Stryker disable next-line OptionalChaining: equivalent; calling a missing hook throws into the catch below, which swallows it
              onError?.(error);
            } catch {
              // The error hook failing must not become an unhandled rejection.
            }
          })
          .finally(() => {
            pending.delete(done);
            settle();
          });
      });
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
