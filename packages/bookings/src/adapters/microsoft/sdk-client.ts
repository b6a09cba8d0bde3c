// Builds a Graph SDK client from a token provider, loading the optional peer lazily.
import { ConfigError } from '@almanac/core';
import type { GraphClientLike } from './types';

/** Package to install for token-provider and credentials sign-in. */
export const GRAPH_PACKAGE = '@microsoft/microsoft-graph-client';

interface MiddlewareContext {
  request: unknown;
  options?: { headers?: Record<string, string> | undefined; signal?: AbortSignal | undefined } & Record<string, unknown>;
  response?: Response;
}

interface Middleware {
  execute(context: MiddlewareContext): Promise<void>;
  setNext?(next: Middleware): void;
}

interface GraphSdkModule {
  Client: { initWithMiddleware(options: { middleware: Middleware[] }): GraphClientLike };
}

/** Whether an import failure means the package is not installed (as opposed to broken). */
export function isModuleNotFound(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** Imports an optional peer, turning "not installed" into a {@link ConfigError} that names it. */
export async function loadOptionalPeer(name: string, loader: () => Promise<unknown>, purpose: string): Promise<unknown> {
  try {
    return await loader();
  } catch (error) {
    if (isModuleNotFound(error)) {
      throw new ConfigError(`${name} is not installed; run \`npm install ${name}\` to ${purpose}`, [
        { path: name, message: 'optional peer dependency is not installed' },
      ]);
    }
    throw error;
  }
}

function sdkModule(loaded: unknown): GraphSdkModule {
  const candidates = [loaded, (loaded as { default?: unknown } | null)?.default];
  for (const candidate of candidates) {
    const client = (candidate as { Client?: { initWithMiddleware?: unknown } } | null | undefined)?.Client;
    if (typeof client?.initWithMiddleware === 'function') return candidate as GraphSdkModule;
  }
  throw new ConfigError(`${GRAPH_PACKAGE} does not export Client.initWithMiddleware; install version 3`, [
    { path: GRAPH_PACKAGE, message: 'unsupported version' },
  ]);
}

/**
 * A Graph client whose only middleware is `fetch`. The SDK's default chain is left out on
 * purpose: its `RetryHandler` sleeps on real timers and would retry non-idempotent POSTs, while
 * the adapter retries itself with core's `withRetry`. The bearer token is added per request by
 * the transport, so token failures reach the caller as they are instead of wrapped by the SDK.
 */
export async function createSdkClient(loader: (() => Promise<unknown>) | undefined): Promise<GraphClientLike> {
  const loaded = await loadOptionalPeer(GRAPH_PACKAGE, loader ?? (() => import('@microsoft/microsoft-graph-client')), 'use getAccessToken or credentials');
  const sdk = sdkModule(loaded);
  const send: Middleware = {
    async execute(context) {
      context.response = await globalThis.fetch(context.request as Parameters<typeof fetch>[0], context.options as RequestInit);
    },
  };
  return sdk.Client.initWithMiddleware({ middleware: [send] });
}
