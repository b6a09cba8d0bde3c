import type { SqlDialect } from '../spec';

// The warehouse schema, version WAREHOUSE_SCHEMA_VERSION, for each dialect. Times are epoch
// milliseconds in 64-bit integers so the same predicates and RFM arithmetic run unchanged on
// both engines; JSON (properties, traits) is text, read with each engine's JSON functions.

type Column = readonly [name: string, duckdb: string, bigquery: string];

const BIGINT: [string, string] = ['BIGINT', 'INT64'];
const TEXT: [string, string] = ['VARCHAR', 'STRING'];
const DOUBLE: [string, string] = ['DOUBLE', 'FLOAT64'];

/** Columns of each table, in load order. */
export const TABLES: Readonly<Record<TableName, readonly Column[]>> = {
  events: [
    ['message_id', ...TEXT],
    ['type', ...TEXT],
    ['event', ...TEXT],
    ['profile_id', ...TEXT],
    ['user_id', ...TEXT],
    ['anonymous_id', ...TEXT],
    ['ts_ms', ...BIGINT],
    ['revenue', ...DOUBLE],
    ['properties', ...TEXT],
  ],
  profiles: [
    ['profile_id', ...TEXT],
    ['traits', ...TEXT],
    ['updated_ms', ...BIGINT],
  ],
  identities: [
    ['profile_id', ...TEXT],
    ['id_type', ...TEXT],
    ['id_value', ...TEXT],
  ],
  predictions: [
    ['profile_id', ...TEXT],
    ['churn_probability', ...DOUBLE],
    ['churn_category', ...TEXT],
    ['expected_purchases', ...DOUBLE],
    ['predicted_ltv', ...DOUBLE],
    ['ltv_segment', ...TEXT],
    ['computed_ms', ...BIGINT],
  ],
};

/** Names of the warehouse tables. */
export type TableName = 'events' | 'profiles' | 'identities' | 'predictions';

const KEYS: Readonly<Record<TableName, string>> = {
  events: 'PRIMARY KEY (message_id)',
  profiles: 'PRIMARY KEY (profile_id)',
  identities: 'PRIMARY KEY (id_type, id_value, profile_id)',
  predictions: 'PRIMARY KEY (profile_id)',
};

/** `CREATE TABLE IF NOT EXISTS` statements of the schema; `qualify` prefixes names (BigQuery's dataset). */
export function createTableStatements(dialect: SqlDialect, qualify: (table: string) => string = (t) => t): string[] {
  const statements = (Object.keys(TABLES) as TableName[]).map((table) => {
    const columns = TABLES[table].map(([name, duck, bq]) => `${name} ${dialect === 'duckdb' ? duck : bq}`);
    // BigQuery has no enforced keys; loads deduplicate with MERGE instead.
    if (dialect === 'duckdb') columns.push(KEYS[table]);
    return `CREATE TABLE IF NOT EXISTS ${qualify(table)} (${columns.join(', ')})`;
  });
  statements.push(
    `CREATE TABLE IF NOT EXISTS ${qualify('cdp_meta')} (meta_key ${dialect === 'duckdb' ? 'VARCHAR PRIMARY KEY' : 'STRING'}, meta_value ${dialect === 'duckdb' ? 'VARCHAR' : 'STRING'})`,
  );
  return statements;
}
