import { ConfigError, systemClock } from '@almanac/core';
import type { CdpMessage } from '../messages/types';
import type { Outbox, OutboxRecord, OutboxStats, QuarantinedMessage } from '../spec';

/**
 * An outbox in memory: same semantics as the file outbox (per-consumer positions, removal once
 * every consumer acknowledged) but nothing survives the process. For tests and for callers who
 * accept losing undelivered messages on a crash.
 */
export function createMemoryOutbox(): Outbox {
  let records: OutboxRecord[] = [];
  let lastSeq = 0;
  const acked = new Map<string, number>();
  const quarantined: QuarantinedMessage[] = [];
  let closed = false;
  const open = () => {
    if (closed) throw new ConfigError('the outbox is closed', [{ path: 'outbox', message: 'closed' }]);
  };
  const compact = () => {
    if (acked.size === 0) return;
    const floor = Math.min(...acked.values());
    const keep = records.findIndex((record) => record.seq > floor);
    records = keep < 0 ? [] : records.slice(keep);
  };
  return {
    kind: 'memory',
    async registerConsumers(names) {
      open();
      for (const name of names) if (!acked.has(name)) acked.set(name, records.length > 0 ? (records[0] as OutboxRecord).seq - 1 : lastSeq);
    },
    async append(messages: readonly CdpMessage[]) {
      open();
      return messages.map((message) => {
        lastSeq += 1;
        records.push({ seq: lastSeq, message: structuredClone(message) });
        return lastSeq;
      });
    },
    async read(consumer, max) {
      open();
      const from = acked.get(consumer) ?? 0;
      const out: OutboxRecord[] = [];
      for (const record of records) {
        if (record.seq <= from) continue;
        if (out.length >= max) break;
        out.push(record);
      }
      return out;
    },
    async ack(consumer, seq) {
      open();
      acked.set(consumer, Math.max(acked.get(consumer) ?? 0, seq));
      compact();
    },
    async quarantine(entries) {
      open();
      quarantined.push(...entries.map((entry) => ({ ...entry, atMs: entry.atMs ?? systemClock.now() })));
    },
    async listQuarantined() {
      return [...quarantined];
    },
    stats(): OutboxStats {
      const floor = acked.size === 0 ? 0 : Math.min(...acked.values());
      return {
        pending: records.filter((record) => record.seq > floor).length,
        lastSeq,
        acked: Object.fromEntries(acked),
        skippedRecords: 0,
        segments: 0,
      };
    },
    async close() {
      closed = true;
    },
  };
}
