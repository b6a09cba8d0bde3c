// Canary secrets: planted in every credential the adversarial suite hands to a package
// (tokens, API keys, passwords, webhook secrets, vault keys) and echoed back by hostile
// servers. Everything the packages log or throw during the suite is captured and searched
// for them, raw, URL-encoded and base64-encoded: one hit is a leak.
import type { Logger, LogFields } from '@almanac/core';

/** The planted secrets, each unlike anything a redaction mask writes. */
export const CANARIES = {
  token: 'cnry-token-7f3a9c2e51d84b06e2',
  apiKey: 'cnry-apikey-c4e1b8d92a7f3065aa',
  password: 'cnry-password-9d2f6a81c3e7b054',
  webhookSecret: 'cnry-whsec-5b7e2d90a1c84f36',
  signingKey: 'cnry-signing-0e9c7b3a6d2f5814',
  /** A 32-byte vault key whose base64 form is itself searched for. */
  vaultKey: Buffer.from('cnry-vault-key-3c81f0d6a9e25b47!', 'utf8').toString('base64'),
} as const;

/** Every canary in the forms a leak could take. */
export function canaryForms(): string[] {
  return Object.values(CANARIES).flatMap((canary) => [
    canary,
    encodeURIComponent(canary),
    Buffer.from(canary).toString('base64').replace(/=+$/, ''),
  ]);
}

/** What one run captured: log lines and error texts. */
export class CanaryCapture {
  private readonly texts: string[] = [];

  /** A logger that records every line, fields included, at every level. */
  logger(): Logger {
    const record = (level: string) => (message: string, fields?: LogFields) => {
      this.texts.push(`${level} ${message} ${safeJson(fields)}`);
    };
    return { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  }

  /** Records an error as a user would see it: message, `String()`, JSON, stack, causes. */
  error(error: unknown): void {
    let current: unknown = error;
    for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
      if (current instanceof Error) {
        this.texts.push(current.message, String(current), current.stack ?? '', safeJson(current));
        const json = (current as { toJSON?: () => unknown }).toJSON;
        if (typeof json === 'function') this.texts.push(safeJson(json.call(current)));
        current = current.cause;
      } else {
        this.texts.push(String(current), safeJson(current));
        break;
      }
    }
  }

  /** Records any other text a user would see (a thrown value's rendering, a response). */
  text(value: string): void {
    this.texts.push(value);
  }

  /** Number of captured texts (a scan over nothing proves nothing). */
  get size(): number {
    return this.texts.length;
  }

  /** The canary forms found in what was captured, with a short context each. */
  leaks(): string[] {
    return findCanaries(this.texts);
  }

  /** Scans what was captured since the last drain, then forgets it (hostile inputs are big). */
  drain(): { captured: number; leaks: string[] } {
    const result = { captured: this.texts.length, leaks: this.leaks() };
    this.texts.length = 0;
    return result;
  }
}

/** The canary forms found in `texts`, with a short context each. */
export function findCanaries(texts: readonly string[]): string[] {
  const forms = canaryForms();
  const hits: string[] = [];
  for (const text of texts) {
    for (const form of forms) {
      const at = text.indexOf(form);
      if (at >= 0) hits.push(`${form} in …${text.slice(Math.max(0, at - 60), at + form.length + 20)}…`);
    }
  }
  return hits;
}

function safeJson(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner)) ?? '';
  } catch {
    return String(value);
  }
}
