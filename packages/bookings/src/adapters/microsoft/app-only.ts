// App-only tokens through msal-node's client-credentials flow, loaded on first use.
import { AlmanacError, AuthError, raceAbort } from '@almanac/core';
import { createPeerLoader } from '@almanac/core/kit';
import { PROVIDER } from './errors';
import type { GraphAccessTokenProvider, MicrosoftAppCredentials, MsalConfidentialClientLike, MsalModuleLike } from './types';

/** Package to install for `credentials` sign-in. */
export const MSAL_PACKAGE = '@azure/msal-node';
/** Scope of app-only Graph tokens: every application permission the app was granted. */
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

/**
 * A token provider for app-only access. msal keeps its own token cache, so each call is cheap
 * once a token is cached. msal errors are wrapped without their message, which can echo
 * request details; the original stays on `cause` (never serialised by `toJSON`).
 */
export function createAppOnlyTokenProvider(
  credentials: MicrosoftAppCredentials,
  loader: (() => Promise<unknown>) | undefined,
  scopes: readonly string[] = [GRAPH_DEFAULT_SCOPE],
): GraphAccessTokenProvider {
  const loadMsal = createPeerLoader<MsalModuleLike>({
    pkg: MSAL_PACKAGE,
    provider: PROVIDER,
    importer: loader ?? (() => import('@azure/msal-node')),
    exportName: 'ConfidentialClientApplication',
    requiredBy: 'The Microsoft 365 adapter',
    purpose: 'use app-only credentials',
  });
  let app: Promise<MsalConfidentialClientLike> | undefined;
  const client = () => {
    app ??= loadMsal().then(
      (msal) =>
        new msal.ConfidentialClientApplication({
          auth: {
            clientId: credentials.clientId,
            authority: `https://login.microsoftonline.com/${encodeURIComponent(credentials.tenantId)}`,
            clientSecret: credentials.clientSecret,
          },
        }),
    );
    // A failed load must not be cached, so installing the package later works.
    app.catch(() => {
      app = undefined;
    });
    return app;
  };
  return async (signal) => {
    try {
      const result = await raceAbort(
        client().then((instance) => instance.acquireTokenByClientCredential({ scopes: [...scopes] })),
        signal,
      );
      if (result === null || typeof result.accessToken !== 'string' || result.accessToken === '') {
        throw new AuthError(`${PROVIDER}: msal returned no access token`, { provider: PROVIDER, operation: 'acquireTokenByClientCredential' });
      }
      return result.accessToken;
    } catch (error) {
      if (AlmanacError.isInstance(error)) throw error;
      const errorCode: unknown = (error as { errorCode?: unknown } | null)?.errorCode;
      // Only a bare identifier such as `invalid_client` is echoed; anything else could carry input.
      const code = typeof errorCode === 'string' && /^[a-z_]{1,64}$/i.test(errorCode) ? ` (${errorCode})` : '';
      throw new AuthError(`${PROVIDER}: client-credentials sign-in failed${code}`, {
        provider: PROVIDER,
        operation: 'acquireTokenByClientCredential',
        cause: error,
      });
    }
  };
}
