import type { CdpSink, IdentityRow } from '../spec';
import type { Warehouse } from './facade';
import { eventRow, identityRows } from './rows';

/** Options of {@link createWarehouseSink}. */
export interface WarehouseSinkOptions {
  /** Sink name (its position in the outbox). Default `warehouse:<provider name>`. */
  readonly name?: string | undefined;
  /** Most messages per load. Default 5 000. */
  readonly maxBatchSize?: number | undefined;
}

/**
 * A collector sink that loads every message into the warehouse: one `events` row each
 * (deduplicated on `messageId`, so a redelivery after a crash is a no-op) and the identity
 * observations it carries (user and anonymous ids, alias links, email and linked-account traits).
 * Profiles (golden records) are built from these by `refreshProfiles`.
 */
export function createWarehouseSink(warehouse: Warehouse, options: WarehouseSinkOptions = {}): CdpSink {
  return {
    name: options.name ?? `warehouse:${warehouse.name}`,
    maxBatchSize: options.maxBatchSize ?? 5000,
    async deliver(messages, { signal }) {
      // The same observation repeats on every message of a user: load each once per batch.
      const identities = new Map<string, IdentityRow>();
      for (const message of messages) {
        for (const row of identityRows(message)) identities.set(`${row.profileId}\u0000${row.idType}\u0000${row.idValue}`, row);
      }
      await warehouse.load({ events: messages.map(eventRow), identities: [...identities.values()] }, { signal });
      return { rejected: [] };
    },
  };
}
