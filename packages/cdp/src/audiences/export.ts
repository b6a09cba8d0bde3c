import { createHash } from 'node:crypto';
import { systemClock } from '@almanac/core';
import type { Clock } from '@almanac/core';
import type { Collector } from '../collector/types';
import type { IdentifyMessage } from '../messages/types';
import type { CdpSink } from '../spec';
import type { Warehouse } from '../warehouse/facade';
import { compileAudience } from './compile';
import type { Audience } from './types';

/** Options of {@link audienceMembers} and {@link exportAudience}. */
export interface AudienceRunOptions {
  /** End of event-count windows; default the clock's now. */
  readonly asOf?: Date | undefined;
  /** Clock used when `asOf` is absent. */
  readonly clock?: Clock | undefined;
  /** Aborts the query (and the export). */
  readonly signal?: AbortSignal | undefined;
}

/** Profile ids of an audience's members, sorted, computed inside the warehouse. */
export async function audienceMembers(warehouse: Warehouse, audience: Audience, options: AudienceRunOptions = {}): Promise<string[]> {
  const asOfMs = options.asOf?.getTime() ?? (options.clock ?? systemClock).now();
  const query = compileAudience(audience, { dialect: warehouse.dialect, qualify: (table) => warehouse.qualify(table), asOfMs });
  const rows = await warehouse.query(query, { signal: options.signal });
  return rows.map((row) => String(row['profile_id']));
}

/** Where {@link exportAudience} sends memberships: a collector (durable, preferred) or a sink directly. */
export type AudienceTarget = Collector | CdpSink;

/** Result of {@link exportAudience}. */
export interface AudienceExport {
  /** The audience's name, which is the trait set on each member. */
  readonly trait: string;
  /** Members exported. */
  readonly members: readonly string[];
}

/**
 * Sends an audience to a destination as Segment Engage does: one `identify` per member with the
 * trait `<audience name>: true`. Through a collector the messages are durable before this
 * resolves and are delivered by its sinks; to a bare sink they are delivered in batches of its
 * `maxBatchSize`. The message ids derive from the audience, member and `asOf`, so exporting the
 * same snapshot twice is deduplicated downstream.
 */
export async function exportAudience(warehouse: Warehouse, audience: Audience, target: AudienceTarget, options: AudienceRunOptions = {}): Promise<AudienceExport> {
  const asOfMs = options.asOf?.getTime() ?? (options.clock ?? systemClock).now();
  const members = await audienceMembers(warehouse, audience, { ...options, asOf: new Date(asOfMs) });
  const timestamp = new Date(asOfMs).toISOString();
  const messageId = (member: string) => createHash('sha256').update(`${audience.name}\n${member}\n${asOfMs}`).digest('hex').slice(0, 32);
  if ('identify' in target) {
    for (const member of members) {
      await target.identify({ userId: member, traits: { [audience.name]: true }, messageId: messageId(member), timestamp });
    }
  } else {
    const size = target.maxBatchSize ?? 100;
    const signal = options.signal ?? new AbortController().signal;
    for (let start = 0; start < members.length; start += size) {
      const batch: IdentifyMessage[] = members
        .slice(start, start + size)
        .map((member) => ({ type: 'identify', userId: member, traits: { [audience.name]: true }, messageId: messageId(member), timestamp }));
      await target.deliver(batch, { signal });
    }
  }
  return { trait: audience.name, members };
}
