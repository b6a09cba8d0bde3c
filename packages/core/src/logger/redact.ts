/** Replacement written wherever a secret was. */
export const REDACTED = '[REDACTED]';

/**
 * Key names whose values are treated as secrets wherever they appear:
 * token, secret, password, authorization, api key, cookie, credential, private key, signature.
 */
export const DEFAULT_SECRET_KEYS: RegExp =
  /token|secret|passw(or)?d|authori[sz]ation|api[-_]?key|cookie|credential|private[-_]?key|signature|session[-_]?id|client[-_]?assertion/i;

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /** Key names whose values are masked. Defaults to {@link DEFAULT_SECRET_KEYS}. */
  keys?: RegExp;
  /** Secret values masked wherever they occur, also inside longer strings. */
  secrets?: Iterable<string>;
}

/** Masks secrets in values, log fields and text. */
export interface Redactor {
  /** Registers a secret value; from now on it is masked wherever it appears. Values under 4 characters are ignored. */
  addSecret(value: string): void;
  /**
   * A deep copy of `value` with secret keys and registered secret values masked.
   * Errors become plain objects (`name`, `message`, `stack`, own fields, `cause`); cycles are kept as cycles.
   */
  redact<T>(value: T): T;
  /** `text` with registered secret values, `key=value`/`"key":"value"` pairs of secret keys and bearer tokens masked. */
  redactString(text: string): string;
}

const MIN_SECRET_LENGTH = 4;

/** Creates a {@link Redactor}. Each redactor keeps its own registered secrets (no global state). */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const keyPattern = options.keys ?? DEFAULT_SECRET_KEYS;
  const secrets = new Set<string>();
  const addSecret = (value: string) => {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
  };
  for (const secret of options.secrets ?? []) addSecret(secret);

  const redactString = (text: string): string => {
    let out = text;
    // Longest first, so a secret containing another is masked whole.
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    out = out.replace(/\b(Bearer|Basic|Bot)\s+[A-Za-z0-9\-._~+/]+=*/g, `$1 ${REDACTED}`);
    out = out.replace(
      /("?)([A-Za-z0-9_-]+)\1(\s*[:=]\s*)("([^"\\]|\\.)*"|[^\s&,;"}]+)/g,
      (match, quote: string, key: string, separator: string, value: string) =>
        keyPattern.test(key) ? `${quote}${key}${quote}${separator}${value.startsWith('"') ? `"${REDACTED}"` : REDACTED}` : match,
    );
    return out;
  };

  const redactAny = (value: unknown, seen: WeakMap<object, unknown>): unknown => {
    if (typeof value === 'string') return redactString(value);
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return seen.get(value);
    if (value instanceof Error) {
      const copy: Record<string, unknown> = { name: value.name, message: redactString(value.message) };
      seen.set(value, copy);
      // stack and cause are non-enumerable but are what makes a logged error useful.
      if (typeof value.stack === 'string') copy['stack'] = redactString(value.stack);
      for (const [key, inner] of Object.entries(value)) {
        copy[key] = keyPattern.test(key) ? REDACTED : redactAny(inner, seen);
      }
      if (value.cause !== undefined && !('cause' in copy)) copy['cause'] = redactAny(value.cause, seen);
      return copy;
    }
    if (value instanceof Date) return value;
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(redactAny(item, seen));
      return copy;
    }
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, inner] of Object.entries(value)) {
      copy[key] = keyPattern.test(key) && inner !== undefined && inner !== null ? REDACTED : redactAny(inner, seen);
    }
    return copy;
  };

  return {
    addSecret,
    redact: <T>(value: T) => redactAny(value, new WeakMap()) as T,
    redactString,
  };
}
