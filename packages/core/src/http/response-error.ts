import type { AlmanacError, AlmanacErrorOptions, ValidationIssue } from '../errors';
import { errorForStatus } from './status-error';
import type { Redactor } from '../logger/redact';
import { parseRetryAfter } from './retry-after';

/** Longest body excerpt put into an error message, in characters. */
export const MAX_EXCERPT_CHARS = 500;
/** Bytes of an error body read at most; the rest is cancelled so a huge body cannot stall us. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_ISSUES = 50;
const MAX_ISSUE_MESSAGE_CHARS = 200;

/** Statuses worth repeating: the provider did not (fully) process the request or asked us to come back. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** What the client knows about the failed call when it maps a response. */
export interface ResponseErrorContext {
  /** Provider name. */
  readonly provider: string;
  /** HTTP method. */
  readonly method: string;
  /** Path without query. */
  readonly path: string;
  /** Masks secrets in the excerpt and message. */
  readonly redactor: Redactor;
  /** Current time from the client's clock, for HTTP-date `Retry-After`. */
  readonly nowMs: number;
}

/** A mapped error plus the wait the response asked for. */
export interface MappedResponseError {
  /** The error to throw. */
  readonly error: AlmanacError;
  /** Provider-requested wait in ms, if any (also on non-429 statuses such as 503). */
  readonly retryAfterMs: number | undefined;
}

/** Reads at most `maxBytes` of a body and cancels the rest. */
export async function readBodyPrefix(response: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const body = response.body;
  if (body === null) return { text: '', truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= maxBytes) {
      truncated = true;
      reader.cancel().catch(() => {
        // The body is abandoned on purpose; a failed cancel changes nothing for the caller.
      });
      break;
    }
  }
  const bytes = new Uint8Array(Math.min(size, maxBytes));
  let offset = 0;
  for (const chunk of chunks) {
    const room = bytes.byteLength - offset;
    if (room <= 0) break;
    bytes.set(chunk.byteLength > room ? chunk.subarray(0, room) : chunk, offset);
    offset += Math.min(chunk.byteLength, room);
  }
  return { text: new TextDecoder().decode(bytes), truncated };
}

/**
 * Characters of a body redacted for an excerpt, as a multiple of the excerpt length: masks
 * can shorten text, so more than the excerpt is redacted, but never the whole body (which
 * may be megabytes from a hostile upstream).
 */
const REDACTION_WINDOW_FACTOR = 16;
/** Longest registered secret (token) the cut below protects; longer ones are unheard of. */
const ASSUMED_MAX_SECRET_CHARS = 4096;

function isWhitespace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * `text` redacted, for an excerpt of its first `maxChars`: at most `maxChars × 16`
 * characters are redacted, so the cost is bounded on any body. A cut can split a secret
 * and leave a half that no mask recognises; the half sits in the last run of
 * non-whitespace, so that run is dropped whenever a secret of up to 4096 characters that
 * ends in it could reach into the excerpt.
 */
export function redactedPrefix(text: string, redactor: Redactor, maxChars: number): string {
  const window = maxChars * REDACTION_WINDOW_FACTOR;
  if (text.length <= window) return redactor.redactString(text);
  const redacted = redactor.redactString(text.slice(0, window));
  let runStart = redacted.length;
  while (runStart > 0 && !isWhitespace(redacted.charCodeAt(runStart - 1))) runStart--;
  const runLength = redacted.length - runStart;
  return runLength < ASSUMED_MAX_SECRET_CHARS + maxChars - runStart ? redacted.slice(0, runStart) : redacted;
}

/**
 * A single-line, redacted excerpt of at most {@link MAX_EXCERPT_CHARS} characters.
 * Redaction runs before the final cut, so the cut can never leave half a secret unmasked;
 * it reads at most a bounded prefix of `text`, so a huge body costs no more than a small one.
 */
export function bodyExcerpt(text: string, redactor: Redactor): string {
  const flat = redactedPrefix(text, redactor, MAX_EXCERPT_CHARS).replace(/\s+/g, ' ').trim();
  const cut = text.length > MAX_EXCERPT_CHARS * REDACTION_WINDOW_FACTOR;
  return flat.length <= MAX_EXCERPT_CHARS && !cut ? flat : `${flat.slice(0, MAX_EXCERPT_CHARS - 1)}…`;
}

function issuePath(entry: Record<string, unknown>): string {
  for (const key of ['path', 'field', 'pointer', 'param', 'loc']) {
    const value = entry[key];
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.join('.');
  }
  return '';
}

/** Best-effort extraction of field issues from common error body shapes (`issues`, `errors`). */
function extractIssues(text: string, redactor: Redactor): ValidationIssue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const root = parsed as Record<string, unknown>;
  const nested = typeof root['error'] === 'object' && root['error'] !== null ? (root['error'] as Record<string, unknown>) : {};
  const list = [root['issues'], root['errors'], nested['issues'], nested['errors'], nested['details']].find(Array.isArray);
  if (!Array.isArray(list)) return [];
  const issues: ValidationIssue[] = [];
  for (const entry of list.slice(0, MAX_ISSUES)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const record = entry as Record<string, unknown>;
    const message = record['message'] ?? record['msg'] ?? record['detail'];
    if (typeof message !== 'string') continue;
    issues.push({
      path: redactedPrefix(issuePath(record), redactor, MAX_ISSUE_MESSAGE_CHARS).slice(0, MAX_ISSUE_MESSAGE_CHARS),
      message: redactedPrefix(message, redactor, MAX_ISSUE_MESSAGE_CHARS).slice(0, MAX_ISSUE_MESSAGE_CHARS),
    });
  }
  return issues;
}


/**
 * Maps a non-2xx response to the Almanac error hierarchy. Consumes (part of) the body.
 * The message names provider, method, path and status, plus a redacted excerpt of the body.
 */
export async function mapResponseError(response: Response, context: ResponseErrorContext): Promise<MappedResponseError> {
  const { status } = response;
  const { text } = await readBodyPrefix(response, MAX_ERROR_BODY_BYTES);
  const excerpt = bodyExcerpt(text, context.redactor);
  const operation = `${context.method} ${context.path}`;
  const message = context.redactor.redactString(
    `${context.provider}: ${operation} failed with HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`,
  );
  const retryAfterMs = parseRetryAfter(response.headers, context.nowMs, status === 429);
  const options: AlmanacErrorOptions = {
    provider: context.provider,
    operation,
    status,
    retryable: RETRYABLE_STATUSES.has(status),
  };
  const issues = status === 400 || status === 422 ? extractIssues(text, context.redactor) : [];
  return { error: errorForStatus(status, message, { ...options, issues, retryAfterMs }), retryAfterMs };
}
