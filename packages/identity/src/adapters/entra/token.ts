import { AlmanacError, AuthError } from '@almanac/core';
import type { Clock, HttpAuth } from '@almanac/core';
import { createTokenCache } from '../../rest/token-cache';
import { PROVIDER } from './options';
import type { TokenCredentialLike } from './types';

/** Replace a token this long before it expires (azure-identity refreshes about as early). */
const REFRESH_BEFORE_MS = 120_000;
const TOKEN_TIMEOUT_MS = 60_000;

/**
 * Graph tokens from a `TokenCredential`, cached until two minutes before `expiresOnTimestamp`,
 * one `getToken` for any number of concurrent callers. A failure is an `AuthError` that never
 * repeats the credential's own message (it may describe the secret or certificate).
 */
export function createEntraTokenSource(credential: TokenCredentialLike, scope: string, clock: Clock): HttpAuth {
  const fetchToken = async (signal: AbortSignal) => {
    let token: Awaited<ReturnType<TokenCredentialLike['getToken']>>;
    try {
      token = await credential.getToken([scope], { abortSignal: signal });
    } catch (error) {
      if (signal.aborted || AlmanacError.isInstance(error)) throw error;
      const name = error instanceof Error ? error.name : 'Error';
      throw new AuthError(`${PROVIDER}: credential.getToken failed (${name}); check the tenant, client id, secret or certificate and the Graph permissions`, {
        provider: PROVIDER,
        operation: 'getToken',
      });
    }
    if (token === null || typeof token?.token !== 'string' || token.token === '' || typeof token.expiresOnTimestamp !== 'number') {
      throw new AuthError(`${PROVIDER}: credential.getToken returned no token`, { provider: PROVIDER, operation: 'getToken' });
    }
    return { token: token.token, expiresAtMs: token.expiresOnTimestamp };
  };
  return createTokenCache({ provider: PROVIDER, fetchToken, clock, refreshBeforeMs: REFRESH_BEFORE_MS, fetchTimeoutMs: TOKEN_TIMEOUT_MS });
}
