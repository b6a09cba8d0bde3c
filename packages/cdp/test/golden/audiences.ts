import type { Audience } from '../../src/index';

/** End of the event windows of the golden audiences. */
export const AS_OF = Date.UTC(2026, 11, 1);

// Named audiences used for both dialects: DuckDB's SQL is executed, BigQuery's compared with golden files.
export const AUDIENCES: Record<string, Audience> = {
  pro_plan: { name: 'pro_plan', where: { kind: 'trait', trait: 'plan', op: 'eq', value: 'pro' } },
  frequent_buyers: { name: 'frequent_buyers', where: { kind: 'eventCount', event: 'Order Completed', op: 'gte', count: 2, withinDays: 30 } },
  high_value_at_risk: {
    name: 'high_value_at_risk',
    where: {
      kind: 'and',
      conditions: [
        { kind: 'prediction', field: 'churnCategory', op: 'in', values: ['high', 'medium'] },
        { kind: 'prediction', field: 'predictedLtv', op: 'gte', value: 100 },
        { kind: 'not', condition: { kind: 'trait', trait: 'vip', op: 'eq', value: true } },
      ],
    },
  },
  adults_or_gamers: {
    name: 'adults_or_gamers',
    where: {
      kind: 'or',
      conditions: [
        { kind: 'trait', trait: 'age', op: 'gte', value: 18 },
        { kind: 'trait', trait: 'twitch', op: 'exists' },
      ],
    },
  },
};


// Regenerates the golden BigQuery SQL (run by hand after a deliberate change, then review the diff):
// npx tsx packages/cdp/test/golden/audiences.ts --write
if (process.argv.includes('--write')) {
  const { writeFileSync } = await import('node:fs');
  const { compileAudience } = await import('../../src/index');
  for (const [name, audience] of Object.entries(AUDIENCES)) {
    const q = compileAudience(audience, { dialect: 'bigquery', asOfMs: AS_OF, qualify: (table) => `\`proj.cdp.${table}\`` });
    writeFileSync(new URL(`${name}.bigquery.sql`, import.meta.url), `${q.sql}\n-- params: ${JSON.stringify(q.params)}\n`);
  }
}
