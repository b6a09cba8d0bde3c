import { parse } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { CdpMessage } from '../messages/types';
import type { CdpSink, EventRow, IdentityRow } from '../spec';
import type { Warehouse } from './facade';
import { eventRow, forEachIdentity } from './rows';

/** Options of {@link createWarehouseSink}. */
export interface WarehouseSinkOptions {
  /** Sink name (its position in the outbox). Default `warehouse:<provider name>`. */
  readonly name?: string | undefined;
  /** Most messages per load. Default 5 000. */
  readonly maxBatchSize?: number | undefined;
  /**
   * How many identity observations this sink remembers having loaded, so a user's next events
   * do not load the same `identities` row again (it would be ignored as a duplicate, after
   * costing a staged insert). Bounded: the oldest are forgotten first. Default 100 000; 0 turns
   * the memory off.
   */
  readonly rememberIdentities?: number | undefined;
}

const optionsSchema = z.object({
  name: z.string().min(1, 'must not be empty').optional(),
  maxBatchSize: z.number().int().min(1).optional(),
  rememberIdentities: z.number().int().min(0).optional(),
});

/**
 * A collector sink that loads every message into the warehouse: one `events` row each
 * (deduplicated on `messageId`, so a redelivery after a crash is a no-op) and the identity
 * observations it carries (user and anonymous ids, alias links, email and linked-account traits).
 * Profiles (golden records) are built from these by `refreshProfiles`.
 *
 * @throws `ValidationError` for bad options.
 */
export function createWarehouseSink(warehouse: Warehouse, options: WarehouseSinkOptions = {}): CdpSink {
  parse(optionsSchema, options, { path: 'options', operation: 'createWarehouseSink' });
  const remember = options.rememberIdentities ?? 100_000;
  // Observations loaded by this sink, in insertion order (a Set iterates oldest first).
  const loaded = new Set<string>();
  const sink: CdpSink = {
    name: options.name ?? `warehouse:${warehouse.name}`,
    maxBatchSize: options.maxBatchSize ?? 5000,
    // JSON lines go to the warehouse unparsed when it can load them (DuckDB parses them on its
    // own threads). Only identify and alias messages carry identities beyond their user and
    // anonymous ids: those few are parsed here, and the warehouse refuses the batch (then
    // parsed and loaded as rows below) if one of them lacks the literal type this scan looks for.
    async deliverEncoded(batch, { signal }) {
      if (!warehouse.loadMessageLines || !warehouse.provider.loadMessageLines) return sink.deliver(parseLines(batch.lines), { signal });
      const identities = new Map<string, IdentityRow>();
      if (batch.lines.includes('"type":"identify"') || batch.lines.includes('"type":"alias"')) {
        for (const line of batch.lines.split('\n')) {
          if (!line.includes('"type":"identify"') && !line.includes('"type":"alias"')) continue;
          forEachIdentity(JSON.parse(line) as CdpMessage, (profileId, idType, idValue) => {
            identities.set(`${profileId}\u0000${idType}\u0000${idValue}`, { profileId, idType, idValue });
          });
        }
      }
      if (await warehouse.loadMessageLines({ lines: batch.lines, identities: [...identities.values()] }, { signal })) return { rejected: [] };
      return sink.deliver(parseLines(batch.lines), { signal });
    },
    async deliver(messages, { signal }) {
      // The same observation repeats on every message of a user: load each once per batch, and
      // not at all when this sink loaded it recently.
      const identities = new Map<string, IdentityRow>();
      const observe = (profileId: string, idType: string, idValue: string) => {
        const key = `${profileId}\u0000${idType}\u0000${idValue}`;
        if (!loaded.has(key) && !identities.has(key)) identities.set(key, { profileId, idType, idValue });
      };
      const events = new Array<EventRow>(messages.length);
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i] as (typeof messages)[number];
        events[i] = eventRow(message);
        forEachIdentity(message, observe);
      }
      await warehouse.load({ events, identities: [...identities.values()] }, { signal });
      // Remembered only once loaded: a failed load leaves them to be loaded with the redelivery.
      if (remember > 0) {
        for (const key of identities.keys()) loaded.add(key);
        if (loaded.size > remember) {
          let excess = loaded.size - remember;
          for (const key of loaded) {
            if (excess-- <= 0) break;
            loaded.delete(key);
          }
        }
      }
      return { rejected: [] };
    },
  };
  return sink;
}

function parseLines(lines: string): CdpMessage[] {
  return lines.split('\n').map((line) => JSON.parse(line) as CdpMessage);
}
