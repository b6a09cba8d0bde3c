import { NotFoundError, abortReason } from '@almanac/core';
import { parse } from '@almanac/core/validation';
import { SPECIFICATION_VERSION } from '@almanac/core/kit';
import * as z from '@almanac/core/schema';
import type { __Domain__Capabilities, __Domain__Item, __Domain__Provider } from '../../spec';

/** Options of {@link createMemory__Domain__Provider}. */
export interface Memory__Domain__ProviderOptions {
  /** Items the provider starts with; ids must be unique. */
  readonly items?: readonly __Domain__Item[] | undefined;
  /** Capabilities to switch off (or on), e.g. `{ search: false }` to test the facade's refusals. Default: all on. */
  readonly capabilities?: Partial<__Domain__Capabilities> | undefined;
}

const optionsSchema = z
  .object({
    items: z
      .array(z.object({ id: z.string().min(1, 'must not be empty'), name: z.string(), raw: z.unknown().optional() }))
      .refine((items) => new Set(items.map((item) => item.id)).size === items.length, 'must not repeat an id')
      .optional(),
    capabilities: z.object({ search: z.boolean().optional() }).strict().optional(),
  })
  .strict();

/**
 * Creates the reference __domainWords__ provider, in memory: every capability, a stable order
 * (by id), and the signal honoured on every call. The bare adapter: wrap it with
 * `create__Domain__` (or call `createMemory__Domain__`) to get validation, deadlines and audit.
 *
 * @throws `ValidationError` naming the field for bad options (e.g. `options.items.1.id`).
 */
export function createMemory__Domain__Provider(options: Memory__Domain__ProviderOptions = {}): __Domain__Provider {
  parse(optionsSchema, options, { provider: 'memory', operation: 'createMemory__Domain__Provider', path: 'options' });
  const items = new Map<string, __Domain__Item>();
  for (const item of [...(options.items ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    items.set(item.id, Object.freeze({ ...item }));
  }
  const capabilities: __Domain__Capabilities = Object.freeze({ search: true, ...options.capabilities });

  return Object.freeze({
    name: 'memory',
    specificationVersion: SPECIFICATION_VERSION,
    capabilities,

    async getItem(id, call) {
      if (call?.signal?.aborted) throw abortReason(call.signal);
      const item = items.get(id);
      if (item === undefined) throw new NotFoundError(`No item with id "${id}"`, { provider: 'memory', operation: 'getItem' });
      return item;
    },

    async searchItems(request) {
      if (request.signal?.aborted) throw abortReason(request.signal);
      const needle = request.query.toLowerCase();
      return [...items.values()].filter((item) => item.name.toLowerCase().includes(needle)).slice(0, request.limit);
    },
  } satisfies __Domain__Provider);
}
