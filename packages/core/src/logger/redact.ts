import { ValidationError } from '../errors';
import { maskText, REDACTED } from './redact-text';
import type { PairRules } from './redact-text';
import { DEFAULT_MAX_SECRETS, SecretSet } from './secret-set';

export { REDACTED };

/**
 * Key names whose values are treated as secrets wherever they appear: token, secret,
 * password, passphrase, authorization, api/account/access key (not its name or id), cookie, credential, private
 * key, signature, session id, client assertion.
 */
export const DEFAULT_SECRET_KEYS: RegExp =
  /token|secret|passw(or)?d|passphrase|authori[sz]ation|api[-_]?key|(?:account|access)[-_]?key(?![-_]?(?:name|id))|cookie|credential|private[-_]?key|signature|session[-_]?id|client[-_]?assertion/i;

/**
 * URL query and fragment parameters treated as secrets in addition to
 * {@link DEFAULT_SECRET_KEYS}: `sig` (Azure SAS), `code` (OAuth), `sid`, `key` (Google
 * API keys), `auth`, `jwt`, `assertion`, `hmac`, `otp`, `ticket`. Too broad for keys in
 * general (an error's `code` is not secret), so only applied after `?`, `&` or `#`.
 */
export const DEFAULT_SECRET_QUERY_PARAMS: RegExp = /^(?:sig|code|sid|key|auth|jwt|assertion|hmac|otp|ticket)$/i;

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /** Key names whose values are masked. Defaults to {@link DEFAULT_SECRET_KEYS}. */
  keys?: RegExp | undefined;
  /** URL query/fragment parameter names also masked. Defaults to {@link DEFAULT_SECRET_QUERY_PARAMS}. */
  queryParams?: RegExp | undefined;
  /** Secret values masked wherever they occur, also inside longer strings. */
  secrets?: Iterable<string> | undefined;
  /**
   * Most registered secret values kept (default 1000); beyond it the least recently
   * registered is forgotten. Re-registering a value (the HTTP client does on every request)
   * keeps it. Bounds the cost of every masking call.
   */
  maxSecrets?: number | undefined;
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
  /**
   * `text` with registered secret values, values of secret keys (`key=value`, `key: value`,
   * `"key":"value"`, secret URL parameters), auth-scheme credentials (`Bearer …`), and URL user
   * info masked. Runs in time linear in `text`.
   */
  redactString(text: string): string;
}

const MIN_SECRET_LENGTH = 4;
/** Objects nested deeper than this are cut: a hostile document must not overflow the stack of a log call. */
const MAX_DEPTH = 100;
/** Written where nesting went past the depth limit. */
const TOO_DEEP = '[MaxDepth]';
/** A string that looks like a key name (e.g. `Authorization`, `--password`) in a name/value array. */
const NAME_LIKE = /^-{0,2}[A-Za-z0-9_][A-Za-z0-9_-]{0,127}$/;
/** Memoised key decisions kept per redactor; log keys repeat, hostile text must not grow memory. */
const MAX_MEMO = 512;

/** A copy of `pattern` without the `g`/`y` flags, whose `lastIndex` would make `test` stateful. */
function statelessPattern(pattern: RegExp, path: string): RegExp {
  if (!(pattern instanceof RegExp)) throw new ValidationError(undefined, [{ path, message: 'must be a RegExp' }]);
  return pattern.global || pattern.sticky ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) : pattern;
}

function memoised(test: (key: string) => boolean): (key: string) => boolean {
  const memo = new Map<string, boolean>();
  return (key) => {
    let result = memo.get(key);
    if (result === undefined) {
      result = test(key);
      if (memo.size >= MAX_MEMO) memo.clear();
      memo.set(key, result);
    }
    return result;
  };
}

/** Creates a {@link Redactor}. Each redactor keeps its own registered secrets (no global state). */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  if (typeof options !== 'object' || options === null) throw new ValidationError(undefined, [{ path: 'options', message: 'must be an object' }]);
  const keyPattern = statelessPattern(options.keys ?? DEFAULT_SECRET_KEYS, 'keys');
  const paramPattern = statelessPattern(options.queryParams ?? DEFAULT_SECRET_QUERY_PARAMS, 'queryParams');
  const maxSecrets = options.maxSecrets ?? DEFAULT_MAX_SECRETS;
  if (!Number.isInteger(maxSecrets) || maxSecrets < 1) {
    throw new ValidationError(undefined, [{ path: 'maxSecrets', message: 'must be an integer >= 1' }]);
  }
  const secrets = new SecretSet(maxSecrets);
  const addSecret = (value: string) => {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
  };
  for (const secret of options.secrets ?? []) addSecret(secret);

  // Text scanning caches its own verdicts; object keys go through a memo.
  const textRules: PairRules = { isSecretKey: (key) => keyPattern.test(key), isSecretParam: (key) => paramPattern.test(key) };
  const isSecretKey = memoised(textRules.isSecretKey);
  const isSecretParam = memoised(textRules.isSecretParam);

  const redactString = (input: string): string => {
    let out = typeof input === 'string' ? input : String(input);
    if (secrets.size > 0) {
      for (const secret of secrets.inMaskingOrder()) {
        if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      }
    }
    return maskText(out, textRules);
  };

  const redactEntries = (entries: Iterable<[unknown, unknown]>, param: boolean, seen: WeakMap<object, unknown>, depth: number) => {
    const copy: Record<string, unknown> = {};
    for (const [rawKey, inner] of entries) {
      const key = String(rawKey);
      const secret = isSecretKey(key) || (param && isSecretParam(key));
      copy[key] = secret && inner !== undefined && inner !== null ? REDACTED : redactAny(inner, seen, depth + 1);
    }
    return copy;
  };

  const redactAny = (value: unknown, seen: WeakMap<object, unknown>, depth: number): unknown => {
    if (typeof value === 'string') return redactString(value);
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return seen.get(value);
    if (depth >= MAX_DEPTH) return TOO_DEEP;
    if (value instanceof Error) {
      const copy: Record<string, unknown> = { name: value.name, message: redactString(value.message) };
      seen.set(value, copy);
      // stack and cause are non-enumerable but are what makes a logged error useful.
      if (typeof value.stack === 'string') copy['stack'] = redactString(value.stack);
      for (const [key, inner] of Object.entries(value)) {
        copy[key] = isSecretKey(key) ? REDACTED : redactAny(inner, seen, depth + 1);
      }
      if (value.cause !== undefined && !('cause' in copy)) copy['cause'] = redactAny(value.cause, seen, depth + 1);
      return copy;
    }
    if (value instanceof Date) return value;
    if (value instanceof URL) return redactString(value.href);
    // Structured header and parameter containers would otherwise log as `{}` or leak via toJSON.
    if (typeof Headers !== 'undefined' && value instanceof Headers) return redactEntries(value.entries(), false, seen, depth);
    if (value instanceof URLSearchParams) return redactEntries(value.entries(), true, seen, depth);
    if (value instanceof Map) return redactEntries(value.entries(), false, seen, depth);
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      // Name/value arrays (raw headers, `['--password', 'x']`, header tuples): a secret
      // name masks the value after it.
      let maskNext = false;
      for (const item of value) {
        if (maskNext && item !== undefined && item !== null && typeof item !== 'object') {
          copy.push(REDACTED);
          maskNext = false;
          continue;
        }
        maskNext = typeof item === 'string' && NAME_LIKE.test(item) && isSecretKey(item.replace(/^-+/, ''));
        copy.push(redactAny(item, seen, depth + 1));
      }
      return copy;
    }
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, inner] of Object.entries(value)) {
      copy[key] = isSecretKey(key) && inner !== undefined && inner !== null ? REDACTED : redactAny(inner, seen, depth + 1);
    }
    return copy;
  };

  return {
    addSecret,
    redact: <T>(value: T) => redactAny(value, new WeakMap(), 0) as T,
    redactString,
  };
}
