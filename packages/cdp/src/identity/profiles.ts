import type { JsonObject, JsonValue } from '../messages/types';
import type { Warehouse } from '../warehouse/facade';
import { createIdentityGraph, PREVIOUS_ID_TYPE } from './graph';
import type { IdentityConflict, IdentityRules, ResolvedProfile } from './graph';

/** One observation of traits (an `identify` call), for {@link goldenRecord}. */
export interface TraitObservation {
  /** The traits. */
  readonly traits: JsonObject;
  /** When observed, ms since the epoch. */
  readonly timestampMs: number;
  /** Where they came from (`context.source` of the message, else `default`). */
  readonly source: string;
}

/** Which source wins per trait. */
export interface TraitPrecedence {
  /** Sources from most to least trusted; unlisted sources rank after them. Default none (newest wins). */
  readonly sources?: readonly string[] | undefined;
  /** Per-trait override of `sources`, e.g. `{ email: ['crm', 'app'] }`. */
  readonly traits?: Readonly<Record<string, readonly string[]>> | undefined;
}

/**
 * Merges trait observations into one golden record: for each trait, the value from the most
 * trusted source (per-trait order, else `sources`) wins, and among equally trusted ones the newest;
 * `null` values are kept as "explicitly cleared".
 */
export function goldenRecord(observations: readonly TraitObservation[], precedence: TraitPrecedence = {}): Record<string, JsonValue> {
  const chosen = new Map<string, { value: JsonValue; rank: number; at: number }>();
  for (const observation of observations) {
    for (const [trait, value] of Object.entries(observation.traits)) {
      const order = precedence.traits?.[trait] ?? precedence.sources ?? [];
      const index = order.indexOf(observation.source);
      const rank = index < 0 ? order.length : index;
      const current = chosen.get(trait);
      if (!current || rank < current.rank || (rank === current.rank && observation.timestampMs >= current.at)) {
        chosen.set(trait, { value, rank, at: observation.timestampMs });
      }
    }
  }
  return Object.fromEntries([...chosen.entries()].sort(([p], [q]) => (p < q ? -1 : 1)).map(([trait, { value }]) => [trait, value]));
}

/** Options of {@link refreshProfiles}. */
export interface RefreshProfilesOptions {
  /** Identity resolution rules. */
  readonly rules?: IdentityRules | undefined;
  /** Trait precedence of the golden record. */
  readonly precedence?: TraitPrecedence | undefined;
  /** Stamps `updatedMs`. Default the newest observation. */
  readonly nowMs?: number | undefined;
  /** Aborts. */
  readonly signal?: AbortSignal | undefined;
}

/** Result of {@link refreshProfiles}. */
export interface RefreshProfilesResult {
  /** Resolved profiles (with every id). */
  readonly profiles: readonly ResolvedProfile[];
  /** Links refused by the over-merge limits. */
  readonly conflicts: readonly IdentityConflict[];
  /** `identities` rows rewritten to their canonical profile (observations under a message key replaced). */
  readonly identitiesRewritten: number;
  /** `profiles` rows removed because their profile was merged into another one. */
  readonly profilesRemoved: number;
}

// Rows per parameterised DELETE (three parameters each; far below both engines' limits).
const DELETE_CHUNK = 200;

/** Deletes exactly the given rows, by key columns, in parameterised chunks. */
async function deleteRows(
  warehouse: Warehouse,
  table: 'identities' | 'profiles',
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const p = (name: string) => (warehouse.dialect === 'duckdb' ? `$${name}` : `@${name}`);
  for (let start = 0; start < rows.length; start += DELETE_CHUNK) {
    const chunk = rows.slice(start, start + DELETE_CHUNK);
    const params: Record<string, string> = {};
    const terms = chunk.map((row, i) => {
      const parts = columns.map((column, c) => {
        params[`d${i}_${c}`] = row[c] as string;
        return `${column} = ${p(`d${i}_${c}`)}`;
      });
      return `(${parts.join(' AND ')})`;
    });
    await warehouse.query({ sql: `DELETE FROM ${warehouse.qualify(table)} WHERE ${terms.join(' OR ')}`, params }, { signal });
  }
}

/**
 * Unifies profiles: resolves the identity observations stored by the warehouse sink with the
 * identity graph (observations of one message key are linked together), merges every `identify`
 * of a profile into its golden record, and writes `profiles` rows keyed by the canonical id with
 * the golden traits plus `ids` (every linked id by type). Then the warehouse is made to reflect
 * the graph: every id gets one `identities` row under its canonical profile (the rows it was
 * observed under, e.g. an anonymous id's own key before an alias or identify merged it, are
 * deleted), and `profiles` rows of profiles merged into another are deleted. New rows are
 * written before stale ones are deleted, so a crash in between leaves a table that resolves to
 * the same graph. Refused links are reported by the refresh that sees them; the rewritten table
 * keeps every id but not the refused observation, so a later refresh does not report it again.
 * An alias's previous id is stored by the sink as a `previous_id` row and kept as one (under its
 * canonical profile): each refresh resolves it again to the user id or anonymous id of that value
 * (see `IdentityGraph.alias`), so the warehouse and an in-memory graph given the same
 * observations agree whatever order they arrived in, as long as no link is refused (which of
 * two conflicting links wins depends on the order: the graph's call order, the refresh's order
 * of message keys). Reads the `identities` table and the `identify` events; suited to the embedded warehouse and
 * moderate volumes.
 */
export async function refreshProfiles(warehouse: Warehouse, options: RefreshProfilesOptions = {}): Promise<RefreshProfilesResult> {
  const graph = createIdentityGraph(options.rules);
  const identities = await warehouse.query(
    { sql: `SELECT profile_id, id_type, id_value FROM ${warehouse.qualify('identities')} ORDER BY profile_id, id_type, id_value`, params: {} },
    { signal: options.signal },
  );
  const byKey = new Map<string, { type: string; value: string }[]>();
  for (const row of identities) {
    const k = String(row['profile_id']);
    const list = byKey.get(k) ?? [];
    list.push({ type: String(row['id_type']), value: String(row['id_value']) });
    byKey.set(k, list);
  }
  // A message's observations are stored under its key (user id, else anonymous id), and the
  // sink may skip one it loaded before, such as the key's own id after an earlier refresh moved
  // that row to the canonical profile: so each group is linked to the id its key names, the user
  // id of that value if there is one, else the anonymous id.
  const users = new Set(identities.filter((row) => row['id_type'] === 'user_id').map((row) => String(row['id_value'])));
  const observedAnonymous = new Set(identities.filter((row) => row['id_type'] === 'anonymous_id').map((row) => String(row['id_value'])));
  for (const [k, ids] of byKey) {
    const anchor = users.has(k) ? [{ type: 'user_id', value: k }] : observedAnonymous.has(k) ? [{ type: 'anonymous_id', value: k }] : [];
    graph.link([...anchor, ...ids]);
  }
  const previousIds = new Set(identities.filter((row) => row['id_type'] === PREVIOUS_ID_TYPE).map((row) => String(row['id_value'])));

  const identifies = await warehouse.query(
    {
      sql: `SELECT profile_id, user_id, anonymous_id, ts_ms, properties FROM ${warehouse.qualify('events')} WHERE type = ${warehouse.dialect === 'duckdb' ? '$t' : '@t'} ORDER BY ts_ms, message_id`,
      params: { t: 'identify' },
    },
    { signal: options.signal },
  );
  const observations = new Map<string, TraitObservation[]>();
  let newest = 0;
  for (const row of identifies) {
    const id = row['user_id'] !== null && row['user_id'] !== undefined ? { type: 'user_id', value: String(row['user_id']) } : { type: 'anonymous_id', value: String(row['anonymous_id']) };
    const profile = graph.profileOf(id);
    if (!profile) continue;
    const traits = JSON.parse(String(row['properties'] ?? '{}')) as JsonObject;
    const source = typeof traits['source'] === 'string' ? (traits['source'] as string) : 'default';
    const at = Number(row['ts_ms']);
    newest = Math.max(newest, at);
    const list = observations.get(profile.profileId) ?? [];
    list.push({ traits, timestampMs: at, source });
    observations.set(profile.profileId, list);
  }
  const profiles = graph.profiles();
  const updatedMs = options.nowMs ?? newest;
  await warehouse.load(
    {
      profiles: profiles.map((profile) => ({
        profileId: profile.profileId,
        traits: JSON.stringify({ ...goldenRecord(observations.get(profile.profileId) ?? [], options.precedence), ids: profile.ids }),
        updatedMs,
      })),
      identities: profiles.flatMap((profile) =>
        Object.entries(profile.ids).flatMap(([idType, values]) =>
          values
            // An anonymous id the profile lists only because an alias named it stays a previous_id row (below).
            .filter((idValue) => idType !== 'anonymous_id' || observedAnonymous.has(idValue))
            .map((idValue) => ({ profileId: profile.profileId, idType, idValue })),
        ),
      ).concat(
        // Previous ids stay observations, under their canonical profile: they are resolved again by
        // every refresh, so one that later turns out to be a user id is joined as that user id.
        [...previousIds].map((idValue) => ({
          profileId: (graph.profileOf({ type: PREVIOUS_ID_TYPE, value: idValue }) as ResolvedProfile).profileId,
          idType: PREVIOUS_ID_TYPE,
          idValue,
        })),
      ),
    },
    { signal: options.signal },
  );

  // Only rows read above are deleted, so observations the sink adds meanwhile are kept.
  const stale = identities
    .map((row) => [String(row['profile_id']), String(row['id_type']), String(row['id_value'])] as const)
    .filter(([profileId, type, value]) => graph.profileOf({ type, value })?.profileId !== profileId);
  await deleteRows(warehouse, 'identities', ['profile_id', 'id_type', 'id_value'], stale, options.signal);
  const current = new Set(profiles.map((profile) => profile.profileId));
  const stored = await warehouse.query({ sql: `SELECT profile_id FROM ${warehouse.qualify('profiles')}`, params: {} }, { signal: options.signal });
  const merged = stored.map((row) => String(row['profile_id'])).filter((id) => !current.has(id));
  await deleteRows(
    warehouse,
    'profiles',
    ['profile_id'],
    merged.map((id) => [id]),
    options.signal,
  );
  return { profiles, conflicts: graph.conflicts(), identitiesRewritten: stale.length, profilesRemoved: merged.length };
}

/** One entry of a profile's timeline. */
export interface TimelineEntry {
  /** Message id. */
  readonly messageId: string;
  /** Call type. */
  readonly type: string;
  /** Event or page name. */
  readonly event: string | null;
  /** When, ms since the epoch. */
  readonly timestampMs: number;
  /** Properties or traits. */
  readonly properties: JsonObject;
}

/**
 * Every event of a resolved profile, newest first: the Customer 360 timeline across modules. An
 * event belongs to the profile of its user id, else of its anonymous id, so after an alias or an
 * identify merged an anonymous visitor into a user, the visitor's earlier events are in the
 * user's timeline. Ids are bound as parameters.
 */
export async function profileTimeline(
  warehouse: Warehouse,
  profile: ResolvedProfile,
  options: { readonly limit?: number | undefined; readonly signal?: AbortSignal | undefined } = {},
): Promise<TimelineEntry[]> {
  const users = profile.ids['user_id'] ?? [];
  const anonymous = profile.ids['anonymous_id'] ?? [];
  if (users.length === 0 && anonymous.length === 0) return [];
  const p = (name: string) => (warehouse.dialect === 'duckdb' ? `$${name}` : `@${name}`);
  const params: Record<string, string | number> = {};
  const list = (prefix: string, values: readonly string[]) =>
    values
      .map((value, i) => {
        params[`${prefix}${i}`] = value;
        return p(`${prefix}${i}`);
      })
      .join(', ');
  // An event belongs to its user id, else to its anonymous id: matching the columns (not the
  // key) keeps an anonymous id spelt like another person's user id out of that person's timeline.
  const where = [
    ...(users.length > 0 ? [`user_id IN (${list('u', users)})`] : []),
    ...(anonymous.length > 0 ? [`(user_id IS NULL AND anonymous_id IN (${list('a', anonymous)}))`] : []),
  ].join(' OR ');
  const limit = Math.max(1, Math.min(10_000, Math.trunc(options.limit ?? 100)));
  const rows = await warehouse.query(
    {
      sql: `SELECT message_id, type, event, ts_ms, properties FROM ${warehouse.qualify('events')} WHERE ${where} ORDER BY ts_ms DESC, message_id LIMIT ${limit}`,
      params,
    },
    { signal: options.signal },
  );
  return rows.map((row) => ({
    messageId: String(row['message_id']),
    type: String(row['type']),
    event: row['event'] === null || row['event'] === undefined ? null : String(row['event']),
    timestampMs: Number(row['ts_ms']),
    properties: JSON.parse(String(row['properties'] ?? '{}')) as JsonObject,
  }));
}
