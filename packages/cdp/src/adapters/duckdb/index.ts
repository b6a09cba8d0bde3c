/**
 * `@almanac/cdp/duckdb`: the embedded warehouse on DuckDB (`@duckdb/node-api`, an optional peer
 * loaded on first use). In memory by default, or a database file.
 *
 * @packageDocumentation
 */
import { AbortedError, ConfigError, ProviderError, parse } from '@almanac/core';
import { SPECIFICATION_VERSION, callProvider, createPeerLoader } from '@almanac/core/kit';
import * as z from '@almanac/core/schema';
import type { IdentityRow, MessageLinesLoad, SqlQuery, WarehouseLoad, WarehouseProvider } from '../../spec';
import { WAREHOUSE_SCHEMA_VERSION } from '../../spec';
import { createTableStatements, TABLES } from '../../warehouse/ddl';
import type { TableName } from '../../warehouse/ddl';
import { createWarehouse } from '../../warehouse/facade';
import type { Warehouse, WarehouseOptions } from '../../warehouse/facade';

export type { Warehouse, WarehouseOperationOptions, WarehouseOptions } from '../../warehouse/facade';
export type { DryRunResult, MessageLinesLoad, SqlDialect, SqlQuery, WarehouseCallOptions, WarehouseCapabilities, WarehouseCapability, WarehouseLoad, WarehouseProvider } from '../../spec';


/** The slice of `@duckdb/node-api`'s appender the adapter uses (structural: no SDK type is exported). */
export interface DuckDbAppenderLike {
  /** Appends a text value. */
  appendVarchar(value: string): void;
  /** Appends a double. */
  appendDouble(value: number): void;
  /** Appends a 64-bit integer. */
  appendBigInt(value: bigint): void;
  /** Appends NULL. */
  appendNull(): void;
  /** Ends the row. */
  endRow(): void;
  /** Writes buffered rows. */
  flushSync(): void;
  /** Flushes and closes. */
  closeSync(): void;
}

/** The slice of a DuckDB result reader the adapter uses. */
export interface DuckDbReaderLike {
  /** Rows as objects of JS values (BIGINT as bigint). */
  getRowObjectsJS(): Record<string, unknown>[];
}

/** The slice of a DuckDB connection the adapter uses. */
export interface DuckDbConnectionLike {
  /** Runs SQL with named (`$name`) parameters. */
  run(sql: string, values?: Record<string, string | number | boolean | null>): Promise<unknown>;
  /** Runs SQL and reads every row. */
  runAndReadAll(sql: string, values?: Record<string, string | number | boolean | null>): Promise<DuckDbReaderLike>;
  /** An appender on a table. */
  createAppender(table: string): Promise<DuckDbAppenderLike>;
  /** Interrupts the running query. */
  interrupt(): void;
  /** Closes the connection. */
  closeSync(): void;
}

/** The slice of a DuckDB instance the adapter uses. */
export interface DuckDbInstanceLike {
  /** Opens a connection. */
  connect(): Promise<DuckDbConnectionLike>;
  /** Closes the database. */
  closeSync(): void;
}

/** Options of {@link createDuckDbWarehouse}. */
export interface DuckDbWarehouseOptions extends WarehouseOptions {
  /** Database file; default an in-memory database. */
  readonly path?: string | undefined;
  /** DuckDB settings, e.g. `{ threads: '2', memory_limit: '1GB' }`. */
  readonly config?: Readonly<Record<string, string>> | undefined;
  /** An instance you opened yourself (then `path` and `config` are ignored and `close` leaves it open). */
  readonly instance?: DuckDbInstanceLike | undefined;
}

const optionsSchema = z.object({
  path: z.string().min(1).optional(),
  config: z.record(z.string(), z.string()).optional(),
  instance: z.custom<DuckDbInstanceLike>((value) => typeof value === 'object' && value !== null && typeof (value as DuckDbInstanceLike).connect === 'function').optional(),
  timeoutMs: z.number().int().positive().optional(),
});

const loadDuckDb = createPeerLoader<{ DuckDBInstance: { create(path?: string, options?: Record<string, string>): Promise<DuckDbInstanceLike> } }>({
  pkg: '@duckdb/node-api',
  provider: 'duckdb',
  importer: () => import('@duckdb/node-api'),
  exportName: 'DuckDBInstance',
});

const mapDuckDbError = (error: unknown, info: { operation: string }) =>
  new ProviderError(`duckdb ${info.operation} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error, retryable: false });

function plain(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = typeof value === 'bigint' ? Number(value) : value;
  return out;
}

/** Column kinds per table, for the appender. */
const KINDS: Record<TableName, ('text' | 'int' | 'double')[]> = Object.fromEntries(
  (Object.keys(TABLES) as TableName[]).map((table) => [
    table,
    TABLES[table].map(([, duck]) => (duck === 'BIGINT' ? 'int' : duck === 'DOUBLE' ? 'double' : 'text')),
  ]),
) as Record<TableName, ('text' | 'int' | 'double')[]>;

const ROW_FIELDS: Record<TableName, readonly string[]> = {
  events: ['messageId', 'type', 'event', 'profileId', 'userId', 'anonymousId', 'timestampMs', 'revenue', 'properties'],
  profiles: ['profileId', 'traits', 'updatedMs'],
  identities: ['profileId', 'idType', 'idValue'],
  predictions: ['profileId', 'churnProbability', 'churnCategory', 'expectedPurchases', 'predictedLtv', 'ltvSegment', 'computedMs'],
};

// How a staged batch reaches its table: events and identities ignore rows already present
// (at-least-once delivery makes repeats normal), profiles and predictions keep the newest row.
const MERGE: Record<TableName, string> = {
  events: 'INSERT OR IGNORE INTO events SELECT DISTINCT ON (message_id) * FROM cdp_stage_events',
  identities: 'INSERT OR IGNORE INTO identities SELECT DISTINCT * FROM cdp_stage_identities',
  profiles: 'INSERT OR REPLACE INTO profiles SELECT DISTINCT ON (profile_id) * FROM cdp_stage_profiles ORDER BY profile_id, updated_ms DESC',
  predictions: 'INSERT OR REPLACE INTO predictions SELECT DISTINCT ON (profile_id) * FROM cdp_stage_predictions ORDER BY profile_id, computed_ms DESC',
};

// Messages given as JSON lines (`loadMessageLines`) are parsed by DuckDB: each line once into the
// fields the rows need. The SQL text is constant; the lines are the one bound parameter.
const MESSAGE_FIELDS = JSON.stringify({
  messageId: 'VARCHAR',
  type: 'VARCHAR',
  event: 'VARCHAR',
  name: 'VARCHAR',
  groupId: 'VARCHAR',
  userId: 'VARCHAR',
  anonymousId: 'VARCHAR',
  timestamp: 'VARCHAR',
  properties: 'JSON',
  traits: 'JSON',
  previousId: 'VARCHAR',
});
const LINES = 'SELECT unnest(string_split($lines, chr(10))) AS line';
// Each line parsed once into a connection-local staging table that both inserts read.
const STAGE_LINES = `CREATE TEMP TABLE IF NOT EXISTS cdp_stage_lines AS SELECT line, json_transform(line, '${MESSAGE_FIELDS}') AS m FROM (SELECT '{}' AS line) LIMIT 0`;
const PARSE_LINES = `INSERT INTO cdp_stage_lines SELECT line, json_transform(line, '${MESSAGE_FIELDS}') FROM (${LINES})`;
/** Raised inside the statement when a message needs the JS path (the transaction is rolled back). */
const FALLBACK = 'cdp: message needs the row path';
// The same values as `eventRow` (warehouse/rows.ts) computes in JS: properties, or traits for
// identify/group, or {previousId} for alias; revenue when that object's `revenue` is a number;
// the timestamp in milliseconds. Only the collector's timestamp form (`toISOString`, 24
// characters) is converted here, and an identify/alias message must carry its type as the
// literal text the caller scanned for its identities: anything else makes the load fall back.
const EVENT_ROWS = `SELECT m.messageId, m.type,
    CASE m.type WHEN 'track' THEN m.event WHEN 'page' THEN m.name WHEN 'group' THEN m.groupId END,
    coalesce(m.userId, m.anonymousId), m.userId, m.anonymousId,
    CASE WHEN ts IS NULL OR (m.type IN ('identify', 'alias') AND NOT contains(line, '"type":"' || m.type || '"')) THEN error('${FALLBACK}') ELSE ts END,
    CASE WHEN json_type(p, '$.revenue') IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(json_extract(p, '$.revenue') AS DOUBLE) END,
    coalesce(p, '{}')
  FROM (
    SELECT line, m,
      epoch_ms(CASE WHEN length(m.timestamp) = 24 THEN try_strptime(m.timestamp, '%Y-%m-%dT%H:%M:%S.%gZ') END) AS ts,
      CASE WHEN m.type IN ('identify', 'group') THEN m.traits WHEN m.type = 'alias' THEN json_object('previousId', m.previousId) ELSE m.properties END AS p
    FROM cdp_stage_lines
  )`;
const INSERT_EVENT_LINES = `INSERT INTO events ${EVENT_ROWS}`;
// A redelivered batch (or a messageId twice in it): the rows already there are ignored.
const INSERT_EVENT_LINES_DEDUPED = `INSERT OR IGNORE INTO events SELECT DISTINCT ON (messageId) * FROM (${EVENT_ROWS})`;
// The user and anonymous ids of `forEachIdentity`. Most are loaded already: the primary key's
// index finds them row by row (an anti-join would scan the whole table every batch).
const INSERT_ID_LINES = `INSERT OR IGNORE INTO identities SELECT DISTINCT * FROM (
    SELECT coalesce(m.userId, m.anonymousId), 'user_id', m.userId FROM cdp_stage_lines WHERE m.userId IS NOT NULL
    UNION ALL
    SELECT coalesce(m.userId, m.anonymousId), 'anonymous_id', m.anonymousId FROM cdp_stage_lines WHERE m.anonymousId IS NOT NULL
  )`;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The bare DuckDB warehouse adapter. Loads go through DuckDB's appender into staging tables and
 * are merged with one `INSERT OR IGNORE`/`OR REPLACE … SELECT` per table (batched, deduplicated on
 * the keys); queries take named parameters only. One connection, calls serialised.
 *
 * @throws `ValidationError` for bad options; `ConfigError` (on first use) when `@duckdb/node-api` is missing.
 */
export function createDuckDbWarehouseProvider(options: DuckDbWarehouseOptions = {}): WarehouseProvider {
  parse(optionsSchema, options, { path: 'options', operation: 'createDuckDbWarehouse' });
  let opened: Promise<{ instance: DuckDbInstanceLike; connection: DuckDbConnectionLike }> | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  // Whether this connection has its temporary table of parsed lines.
  let linesStaging = false;

  const connect = () => {
    opened ??= (async () => {
      const instance = options.instance ?? (await (await loadDuckDb()).DuckDBInstance.create(options.path ?? ':memory:', { ...options.config }));
      return { instance, connection: await instance.connect() };
    })();
    return opened;
  };

  // One statement at a time on the single connection; aborting interrupts the running one.
  function exclusive<T>(operation: string, signal: AbortSignal | undefined, fn: (connection: DuckDbConnectionLike) => Promise<T>): Promise<T> {
    const run = tail.then(() =>
      callProvider(
        async () => {
          if (closed) throw new ConfigError('the warehouse is closed', [{ path: 'warehouse', message: 'closed' }]);
          const { connection } = await connect();
          const onAbort = () => connection.interrupt();
          signal?.addEventListener('abort', onAbort, { once: true });
          try {
            return await fn(connection);
          } finally {
            signal?.removeEventListener('abort', onAbort);
          }
        },
        { provider: 'duckdb', operation, idempotent: false, signal, mapError: mapDuckDbError },
      ),
    );
    tail = run.catch(() => undefined);
    return run;
  }

  async function stage(connection: DuckDbConnectionLike, target: string, table: TableName, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    const appender = await connection.createAppender(target);
    const kinds = KINDS[table];
    const fields = ROW_FIELDS[table];
    for (const row of rows) {
      for (let c = 0; c < fields.length; c++) {
        const value = row[fields[c] as string];
        if (value === null || value === undefined) appender.appendNull();
        else if (kinds[c] === 'int') appender.appendBigInt(BigInt(Math.trunc(value as number)));
        else if (kinds[c] === 'double') appender.appendDouble(value as number);
        else appender.appendVarchar(String(value));
      }
      appender.endRow();
    }
    appender.closeSync();
  }

  async function loadIdentities(connection: DuckDbConnectionLike, rows: readonly IdentityRow[]): Promise<void> {
    await connection.run('BEGIN TRANSACTION');
    try {
      await mergeStaged(connection, 'identities', rows as unknown as readonly Record<string, unknown>[]);
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Appends `rows` straight into `table` in one transaction; false (rolled back) when a key is already there. */
  async function appendDirectly(connection: DuckDbConnectionLike, table: TableName, rows: readonly Record<string, unknown>[]): Promise<boolean> {
    await connection.run('BEGIN TRANSACTION');
    try {
      await stage(connection, table, table, rows);
      await connection.run('COMMIT');
      return true;
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      if (/constraint/i.test(error instanceof Error ? error.message : String(error))) return false;
      throw error;
    }
  }

  /** Stages `rows` and merges them into `table` (inside the caller's transaction). */
  async function mergeStaged(connection: DuckDbConnectionLike, table: TableName, rows: readonly Record<string, unknown>[]): Promise<void> {
    await connection.run(`DELETE FROM cdp_stage_${table}`);
    await stage(connection, `cdp_stage_${table}`, table, rows);
    await connection.run(MERGE[table]);
    await connection.run(`DELETE FROM cdp_stage_${table}`);
  }

  /** One transaction of `loadMessageLines`: 'loaded', 'duplicate' (a messageId already there) or 'fallback'. */
  async function loadLines(connection: DuckDbConnectionLike, batch: MessageLinesLoad, deduplicate: boolean, signal: AbortSignal | undefined): Promise<'loaded' | 'duplicate' | 'fallback'> {
    if (!linesStaging) {
      await connection.run(STAGE_LINES);
      linesStaging = true;
    }
    await connection.run('BEGIN TRANSACTION');
    try {
      await connection.run('DELETE FROM cdp_stage_lines'); // empty unless a rollback failed
      await connection.run(PARSE_LINES, { lines: batch.lines });
      await connection.run(deduplicate ? INSERT_EVENT_LINES_DEDUPED : INSERT_EVENT_LINES);
      await connection.run(INSERT_ID_LINES);
      if (batch.identities.length > 0) await mergeStaged(connection, 'identities', batch.identities as unknown as readonly Record<string, unknown>[]);
      await connection.run('DELETE FROM cdp_stage_lines');
      await connection.run('COMMIT');
      return 'loaded';
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      if (signal?.aborted) throw error;
      const text = errorText(error);
      if (!deduplicate && /constraint/i.test(text)) return 'duplicate';
      // Anything DuckDB could not take as lines (our own check, or JSON it refuses) goes the JS way.
      if (text.includes(FALLBACK) || /json|conversion|invalid input/i.test(text)) return 'fallback';
      throw error;
    }
  }

  return {
    name: 'duckdb',
    specificationVersion: SPECIFICATION_VERSION,
    capabilities: { dryRun: false },
    dialect: 'duckdb',
    qualify: (table) => table,
    ensureSchema: ({ signal } = {}) =>
      exclusive('ensureSchema', signal, async (connection) => {
        for (const statement of createTableStatements('duckdb')) await connection.run(statement);
        for (const table of Object.keys(TABLES) as TableName[]) {
          await connection.run(`CREATE TABLE IF NOT EXISTS cdp_stage_${table} AS SELECT * FROM ${table} LIMIT 0`);
        }
        const found = (await connection.runAndReadAll("SELECT meta_value FROM cdp_meta WHERE meta_key = 'schema_version'")).getRowObjectsJS();
        if (found.length === 0) {
          await connection.run("INSERT INTO cdp_meta VALUES ('schema_version', $version)", { version: String(WAREHOUSE_SCHEMA_VERSION) });
        } else if (found[0]?.['meta_value'] !== String(WAREHOUSE_SCHEMA_VERSION)) {
          throw new ConfigError(`warehouse schema version ${String(found[0]?.['meta_value'])} found, ${WAREHOUSE_SCHEMA_VERSION} expected`, [
            { path: 'cdp_meta.schema_version', message: `expected ${WAREHOUSE_SCHEMA_VERSION}` },
          ]);
        }
      }),
    load: (rows: WarehouseLoad, { signal } = {}) =>
      exclusive('load', signal, async (connection) => {
        for (const table of Object.keys(TABLES) as TableName[]) {
          const list = (rows[table] ?? []) as unknown as readonly Record<string, unknown>[];
          if (list.length === 0) continue;
          // Events are almost always new: appending straight into the table skips the staging
          // copy, the deduplicating SELECT and the staging DELETEs. A key already there (a
          // redelivery) or twice in the batch fails the append; the transaction is rolled back
          // and the batch goes through staging, which ignores the repeats.
          if (table === 'events' && (await appendDirectly(connection, table, list))) continue;
          await connection.run('BEGIN TRANSACTION');
          try {
            await mergeStaged(connection, table, list);
            await connection.run('COMMIT');
          } catch (error) {
            await connection.run('ROLLBACK').catch(() => undefined);
            throw error;
          }
        }
      }),
    loadMessageLines: (batch: MessageLinesLoad, { signal } = {}) =>
      exclusive('loadMessageLines', signal, async (connection) => {
        if (batch.lines.length === 0) {
          if (batch.identities.length > 0) await loadIdentities(connection, batch.identities);
          return true;
        }
        // Events are almost always new: the plain INSERT is the fast path; a key already there
        // (a redelivery) or twice in the batch fails it, and the batch is loaded again ignoring repeats.
        let outcome = await loadLines(connection, batch, false, signal);
        if (outcome === 'duplicate') outcome = await loadLines(connection, batch, true, signal);
        return outcome === 'loaded';
      }),
    query: (query: SqlQuery, { signal } = {}) =>
      exclusive('query', signal, async (connection) => {
        if (signal?.aborted) throw new AbortedError('aborted');
        const reader = await connection.runAndReadAll(query.sql, { ...query.params });
        return reader.getRowObjectsJS().map(plain);
      }),
    async close() {
      if (closed) return;
      await tail;
      closed = true;
      if (!opened) return;
      const { instance, connection } = await opened;
      connection.closeSync();
      if (!options.instance) instance.closeSync();
    },
  };
}

/**
 * The embedded warehouse: `createWarehouse(createDuckDbWarehouseProvider(options), options)`.
 * Call `ensureSchema()` once before loading.
 */
export function createDuckDbWarehouse(options: DuckDbWarehouseOptions = {}): Warehouse {
  return createWarehouse(createDuckDbWarehouseProvider(options), options);
}
