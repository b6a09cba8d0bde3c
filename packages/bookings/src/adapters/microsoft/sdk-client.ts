// Builds a Graph SDK client from a token provider, loading the optional peer lazily.
import { createPeerLoader } from '@almanac/core/kit';
import { PROVIDER } from './errors';
import type { GraphClientLike } from './types';

/** Package to install for token-provider and credentials sign-in. */
export const GRAPH_PACKAGE = '@microsoft/microsoft-graph-client';

interface MiddlewareContext {
  request: unknown;
  options?: { headers?: Record<string, string> | undefined; signal?: AbortSignal | undefined } & Record<string, unknown> | undefined;
  response?: Response | undefined;
}

interface Middleware {
  execute(context: MiddlewareContext): Promise<void>;
  setNext?(next: Middleware): void;
}

/** The slice of the Graph SDK module the adapter uses. */
export interface GraphSdkModule {
  /** The SDK's `Client` class. */
  Client: { initWithMiddleware(options: { middleware: Middleware[] }): GraphClientLike };
}

/**
 * The loader of the Graph SDK for one provider instance (`importer` overrides how it is
 * imported, e.g. `modules.graph`). A missing package is a `ConfigError` naming it.
 */
export function graphSdkLoader(importer: (() => Promise<unknown>) | undefined): () => Promise<GraphSdkModule> {
  return createPeerLoader<GraphSdkModule>({
    pkg: GRAPH_PACKAGE,
    provider: PROVIDER,
    importer: importer ?? (() => import('@microsoft/microsoft-graph-client')),
    exportName: 'Client.initWithMiddleware',
    minVersion: '3',
    requiredBy: 'The Microsoft 365 adapter',
    purpose: 'use getAccessToken or credentials',
  });
}

/**
 * A Graph client whose only middleware is `fetch`. The SDK's default chain is left out on
 * purpose: its `RetryHandler` sleeps on real timers and would retry non-idempotent POSTs, while
 * the adapter retries itself through core's `callProvider`. The bearer token is added per
 * request by the transport, so token failures reach the caller as they are instead of wrapped
 * by the SDK.
 */
export async function createSdkClient(loadSdk: () => Promise<GraphSdkModule>): Promise<GraphClientLike> {
  const sdk = await loadSdk();
  const send: Middleware = {
    async execute(context) {
      context.response = await globalThis.fetch(context.request as Parameters<typeof fetch>[0], context.options as RequestInit);
    },
  };
  return sdk.Client.initWithMiddleware({ middleware: [send] });
}
