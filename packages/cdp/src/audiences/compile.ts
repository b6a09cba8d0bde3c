import { parse } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { SqlDialect, SqlQuery } from '../spec';
import type { Audience, AudienceCondition, AudienceValue, ComparisonOperator } from './types';

const DAY_MS = 86_400_000;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const identifier = z.string().regex(IDENTIFIER, 'must be an identifier: letters, digits and underscores, starting with a letter or underscore, at most 64');
const scalar = z.union([z.string().max(4096), z.number().refine(Number.isFinite, 'must be finite'), z.boolean()]);
const op = z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']);

const condition: z.ZodType<AudienceCondition> = z.lazy(() =>
  z.union([
    z.strictObject({ kind: z.literal('trait'), trait: identifier, op, value: scalar }),
    z.strictObject({ kind: z.literal('trait'), trait: identifier, op: z.literal('in'), values: z.array(scalar).min(1).max(1000) }),
    z.strictObject({ kind: z.literal('trait'), trait: identifier, op: z.literal('contains'), value: z.string().min(1).max(4096) }),
    z.strictObject({ kind: z.literal('trait'), trait: identifier, op: z.enum(['exists', 'missing']) }),
    z.strictObject({
      kind: z.literal('eventCount'),
      event: z.string().min(1).max(256),
      op,
      count: z.number().int().min(0),
      withinDays: z.number().positive().max(36_500),
    }),
    z.strictObject({ kind: z.literal('prediction'), field: z.enum(['churnProbability', 'expectedPurchases', 'predictedLtv']), op, value: z.number().refine(Number.isFinite) }),
    z.strictObject({ kind: z.literal('prediction'), field: z.enum(['churnCategory', 'ltvSegment']), op: z.enum(['eq', 'neq']), value: z.string().max(256) }),
    z.strictObject({ kind: z.literal('prediction'), field: z.enum(['churnCategory', 'ltvSegment']), op: z.literal('in'), values: z.array(z.string().max(256)).min(1).max(1000) }),
    z.strictObject({ kind: z.enum(['and', 'or']), conditions: z.array(condition).min(1).max(100) }),
    z.strictObject({ kind: z.literal('not'), condition }),
  ]),
) as z.ZodType<AudienceCondition>;

const audienceSchema = z.strictObject({ name: identifier, where: condition });

/** Options of {@link compileAudience}. */
export interface CompileAudienceOptions {
  /** Target dialect. */
  readonly dialect: SqlDialect;
  /** Names a schema table (the warehouse's `qualify`); default the bare name. */
  readonly qualify?: ((table: 'events' | 'profiles' | 'identities' | 'predictions') => string) | undefined;
  /** End of event-count windows, ms since the epoch. */
  readonly asOfMs: number;
}

const SQL_OP: Record<ComparisonOperator, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };
const PREDICTION_COLUMN = {
  churnProbability: 'churn_probability',
  expectedPurchases: 'expected_purchases',
  predictedLtv: 'predicted_ltv',
  churnCategory: 'churn_category',
  ltvSegment: 'ltv_segment',
} as const;

/**
 * Compiles an audience to one parameterised query returning `profile_id` of every member, sorted.
 * Every value (event names, trait values, thresholds, window bounds) is a named parameter; the
 * only names in the SQL text are schema columns and trait names, which must be identifiers
 * (`ValidationError` otherwise), so no input can change the statement. The same definition gives
 * the same statement shape on DuckDB (`$p0`, `json_value`, `TRY_CAST`) and BigQuery
 * (`@p0`, `JSON_VALUE`, `SAFE_CAST`).
 *
 * @throws `ValidationError` naming the bad field of the definition.
 */
export function compileAudience(audience: Audience, options: CompileAudienceOptions): SqlQuery {
  const parsed = parse(audienceSchema, audience, { path: 'audience', operation: 'compileAudience' }) as Audience;
  const { dialect } = options;
  const qualify = options.qualify ?? ((table: string) => table);
  const params: Record<string, string | number | boolean> = {};
  const param = (value: string | number | boolean) => {
    const name = `p${Object.keys(params).length}`;
    params[name] = value;
    return dialect === 'duckdb' ? `$${name}` : `@${name}`;
  };
  const text = (value: string | number | boolean) => param(typeof value === 'string' ? value : String(value));
  // BigQuery's JSON_VALUE gives a scalar as unquoted text and NULL for objects, arrays and JSON
  // null; DuckDB's json_value keeps scalars as JSON (quoted) and gives NULL for the rest, so the
  // quotes are removed with json_extract_string(…, '$'). json_extract_string alone would return
  // an object's text, so `exists` would disagree between the engines on object-valued traits.
  const traitText = (trait: string) =>
    dialect === 'duckdb' ? `json_extract_string(json_value(t.traits, '$.${trait}'), '$')` : `JSON_VALUE(t.traits, '$.${trait}')`;
  const traitNumber = (trait: string) => (dialect === 'duckdb' ? `TRY_CAST(${traitText(trait)} AS DOUBLE)` : `SAFE_CAST(${traitText(trait)} AS FLOAT64)`);
  const traits = (predicate: string) => `EXISTS (SELECT 1 FROM ${qualify('profiles')} t WHERE t.profile_id = b.profile_id AND ${predicate})`;

  const compile = (c: AudienceCondition): string => {
    switch (c.kind) {
      case 'and':
      case 'or':
        return `(${c.conditions.map(compile).join(c.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${compile(c.condition)})`;
      case 'trait':
        if (c.op === 'exists' || c.op === 'missing') {
          const present = traits(`${traitText(c.trait)} IS NOT NULL`);
          return c.op === 'exists' ? present : `(NOT ${present})`;
        }
        if (c.op === 'contains') return traits(`STRPOS(${traitText(c.trait)}, ${param(c.value)}) > 0`);
        if (c.op === 'in') return traits(`${traitText(c.trait)} IN (${c.values.map(text).join(', ')})`);
        {
          // Only the comparison form is left here (TypeScript cannot narrow the nested union).
          const compared = c as { trait: string; op: ComparisonOperator; value: AudienceValue };
          if (typeof compared.value === 'number') return traits(`${traitNumber(c.trait)} ${SQL_OP[compared.op]} ${param(compared.value)}`);
          return traits(`${traitText(c.trait)} ${SQL_OP[compared.op]} ${text(compared.value)}`);
        }
      case 'eventCount': {
        const since = param(options.asOfMs - Math.round(c.withinDays * DAY_MS));
        const until = param(options.asOfMs);
        const count = `(SELECT COUNT(*) FROM ${qualify('events')} e WHERE e.profile_id = b.profile_id AND e.event = ${param(c.event)} AND e.ts_ms >= ${since} AND e.ts_ms < ${until})`;
        return `${count} ${SQL_OP[c.op]} ${param(c.count)}`;
      }
      case 'prediction': {
        const column = `pr.${PREDICTION_COLUMN[c.field]}`;
        const predicate = c.op === 'in' ? `${column} IN (${c.values.map(text).join(', ')})` : `${column} ${SQL_OP[c.op]} ${param(c.value)}`;
        return `EXISTS (SELECT 1 FROM ${qualify('predictions')} pr WHERE pr.profile_id = b.profile_id AND ${predicate})`;
      }
    }
  };

  const where = compile(parsed.where);
  const base = ['profiles', 'events', 'predictions'].map((table) => `SELECT profile_id FROM ${qualify(table as 'events')}`).join(' UNION ALL ');
  const sql = `SELECT DISTINCT b.profile_id AS profile_id FROM (${base}) b WHERE ${where} ORDER BY profile_id`;
  return { sql, params };
}
