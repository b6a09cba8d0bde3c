import { parse } from '@almanac/core/validation';
import { createOperationRunner } from '@almanac/core/kit';
import type { CapabilitySupport } from '@almanac/core/kit';
import { __DOMAIN___CAPABILITY_METHODS } from '../spec';
import type { __Domain__Capability, __Domain__Provider } from '../spec';
import { facadeOptionsSchema, getItemSchema, searchItemsSchema } from './schemas';
import type { __Domain__, __Domain__Options } from './types';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_SEARCH_LIMIT = 100;

/**
 * Wraps a provider in the {@link __Domain__} facade, on core's operation runner: every call is
 * validated (`ValidationError` naming the field), checked against `capabilities`
 * (`CapabilityError` before the provider is touched), bounded by `timeoutMs` and the caller's
 * signal (`TimeoutError`/`AbortedError`), mapped to core's error hierarchy with `provider` and
 * `operation` set, and reported as one span (`__domain__.<operation>`) and one audit event.
 *
 * @throws `ConfigError` when `provider` is not a provider of specification `v1`;
 * `ValidationError` for bad options.
 */
export function create__Domain__(provider: __Domain__Provider, options: __Domain__Options = {}): __Domain__ {
  parse(facadeOptionsSchema, options, { operation: 'create__Domain__', path: 'options' });
  const runner = createOperationRunner({
    domain: '__domain__',
    provider,
    capabilityMethods: __DOMAIN___CAPABILITY_METHODS,
    defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    timeoutMs: options.timeoutMs,
    clock: options.clock,
    logger: options.logger,
    onAudit: options.onAudit,
    tracer: options.tracer,
  });

  // Computed once: capabilities are fixed for the life of a provider.
  const support = {} as Record<__Domain__Capability, CapabilitySupport>;
  for (const capability of Object.keys(__DOMAIN___CAPABILITY_METHODS) as __Domain__Capability[]) {
    support[capability] = runner.supports(capability) ? 'native' : false;
  }
  Object.freeze(support);

  return Object.freeze({
    name: runner.providerName,
    provider,
    capabilities: provider.capabilities,
    supports: (capability) => runner.supports(capability),
    describeCapabilities: () => support,

    // A required operation: validation, deadline, error mapping and audit come from the runner.
    getItem: (id, call) =>
      runner.run(
        'getItem',
        { id, options: call ?? {} },
        getItemSchema,
        (input, context) => provider.getItem(input.id, { signal: context.signal }),
        { signal: call?.signal, timeoutMs: call?.timeoutMs, idempotent: true },
      ),

    // A capability-gated operation: `capability` makes the runner refuse it before validation,
    // and `require` hands back the provider with `searchItems` typed as present (no casts).
    searchItems: (query, call) =>
      runner.run(
        'searchItems',
        { query, options: call ?? {} },
        searchItemsSchema,
        async (input, context) => {
          const searcher = runner.require('search', 'searchItems');
          const limit = input.options.limit ?? DEFAULT_SEARCH_LIMIT;
          const items = await searcher.searchItems({ query: input.query, limit, signal: context.signal });
          context.annotate({ count: items.length });
          return items.slice(0, limit);
        },
        { signal: call?.signal, timeoutMs: call?.timeoutMs, idempotent: true, capability: 'search' },
      ),
  } satisfies __Domain__);
}
