import { createHash } from 'node:crypto';
import { systemClock } from '@almanac/core';
import type { Clock } from '@almanac/core';
import { churnActions } from '@almanac/oracle/churn';
import type { ChurnCategory } from '@almanac/oracle/churn';
import type { AudienceTarget } from '../audiences/export';
import type { IdentifyMessage } from '../messages/types';
import type { Warehouse } from '../warehouse/facade';

/** Options of {@link pushPredictions}. */
export interface PushPredictionsOptions {
  /** Rows read per query. Default 10 000. */
  readonly pageSize?: number | undefined;
  /** Timestamps the identify calls. */
  readonly clock?: Clock | undefined;
  /** Aborts. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Sends every stored prediction to a destination as profile traits (one `identify` per profile:
 * `churn_probability`, `churn_risk`, `predicted_ltv`, `ltv_segment`, `expected_purchases`,
 * `recommended_churn_actions`), through a collector (durable) or directly to a sink. Message ids
 * derive from the profile and the prediction's `computed_ms`, so pushing the same predictions
 * twice is deduplicated downstream. Returns the number of profiles pushed.
 */
export async function pushPredictions(warehouse: Warehouse, target: AudienceTarget, options: PushPredictionsOptions = {}): Promise<number> {
  const pageSize = options.pageSize ?? 10_000;
  const timestamp = new Date((options.clock ?? systemClock).now()).toISOString();
  const p = (name: string) => (warehouse.dialect === 'duckdb' ? `$${name}` : `@${name}`);
  let after = '';
  let pushed = 0;
  for (;;) {
    // Keyset pagination on the primary key: stable while rows are added.
    const rows = await warehouse.query(
      {
        sql: `SELECT profile_id, churn_probability, churn_category, expected_purchases, predicted_ltv, ltv_segment, computed_ms FROM ${warehouse.qualify('predictions')} WHERE profile_id > ${p('after')} ORDER BY profile_id LIMIT ${pageSize}`,
        params: { after },
      },
      { signal: options.signal },
    );
    if (rows.length === 0) return pushed;
    const messages: IdentifyMessage[] = rows.map((row) => {
      const profileId = String(row['profile_id']);
      const category = String(row['churn_category']) as ChurnCategory;
      return {
        type: 'identify',
        userId: profileId,
        messageId: createHash('sha256').update(`predictions\n${profileId}\n${String(row['computed_ms'])}`).digest('hex').slice(0, 32),
        timestamp,
        traits: {
          churn_probability: row['churn_probability'] === null || row['churn_probability'] === undefined ? null : Number(row['churn_probability']),
          churn_risk: category,
          expected_purchases: Number(row['expected_purchases']),
          predicted_ltv: Number(row['predicted_ltv']),
          ltv_segment: String(row['ltv_segment']),
          recommended_churn_actions: ['low', 'medium', 'high'].includes(category) ? churnActions(category) : [],
        },
      };
    });
    if ('identify' in target) {
      for (const message of messages) await target.identify(message);
    } else {
      const size = target.maxBatchSize ?? 100;
      for (let start = 0; start < messages.length; start += size) {
        await target.deliver(messages.slice(start, start + size), { signal: options.signal ?? new AbortController().signal });
      }
    }
    pushed += rows.length;
    after = String(rows[rows.length - 1]?.['profile_id']);
  }
}
