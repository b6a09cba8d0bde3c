import { ValidationError, type ValidationIssue } from '../errors';

/** The OAuth-style token bundle most adapters persist. */
export interface TokenSet {
  /** Bearer token sent with requests. */
  accessToken: string;
  /** Token used to obtain a new access token, when the provider issues one. */
  refreshToken?: string | undefined;
  /** When the access token expires, in epoch milliseconds. */
  expiresAt?: number | undefined;
  /** Token type as issued, usually `Bearer`. */
  tokenType?: string | undefined;
  /** Space-separated scopes granted. */
  scope?: string | undefined;
}

/**
 * Validates an unknown value (e.g. from `vault.decryptJson`) as a {@link TokenSet}.
 * Unknown fields are dropped. Issues name the field, never its value.
 */
export function parseTokenSet(value: unknown): TokenSet {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(undefined, [{ path: '', message: 'token set must be an object' }]);
  }
  const input = value as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const { accessToken, refreshToken, expiresAt, tokenType, scope } = input;
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    issues.push({ path: 'accessToken', message: 'must be a non-empty string' });
  }
  if (refreshToken !== undefined && (typeof refreshToken !== 'string' || refreshToken.length === 0)) {
    issues.push({ path: 'refreshToken', message: 'must be a non-empty string when present' });
  }
  if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) {
    issues.push({ path: 'expiresAt', message: 'must be epoch milliseconds when present' });
  }
  if (tokenType !== undefined && typeof tokenType !== 'string') {
    issues.push({ path: 'tokenType', message: 'must be a string when present' });
  }
  if (scope !== undefined && typeof scope !== 'string') {
    issues.push({ path: 'scope', message: 'must be a string when present' });
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues);
  const tokens: TokenSet = { accessToken: accessToken as string };
  if (typeof refreshToken === 'string') tokens.refreshToken = refreshToken;
  if (typeof expiresAt === 'number') tokens.expiresAt = expiresAt;
  if (typeof tokenType === 'string') tokens.tokenType = tokenType;
  if (typeof scope === 'string') tokens.scope = scope;
  return tokens;
}
