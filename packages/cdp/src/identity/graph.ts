import { parse } from '@almanac/core';
import * as z from '@almanac/core/schema';

/** One id of some type, e.g. `{ type: 'email', value: 'ana@example.com' }`. */
export interface Identifier {
  /** Id type: `user_id`, `anonymous_id`, `email`, `twitch`, `discord`, `google`, `microsoft`, … */
  readonly type: string;
  /** The id. */
  readonly value: string;
}

/** Rules of identity resolution. */
export interface IdentityRules {
  /**
   * Most ids of a type one profile may hold; a link that would exceed it is refused (and reported
   * as a conflict) instead of merging two people, e.g. two `user_id`s sharing a family email.
   * Default: `user_id` 1, `email` 3, `twitch`/`discord`/`google`/`microsoft` 1, `anonymous_id` 100,
   * other types unlimited.
   */
  readonly maxIdsPerType?: Readonly<Record<string, number>> | undefined;
  /** Id types in order of preference for the canonical profile id. Default `user_id`, `email`, then others, `anonymous_id` last. */
  readonly canonicalOrder?: readonly string[] | undefined;
}

/** A link the rules refused. */
export interface IdentityConflict {
  /** The ids the observation tried to join. */
  readonly ids: readonly Identifier[];
  /** The id type whose limit the merge would have exceeded. */
  readonly type: string;
  /** Human-readable reason. */
  readonly reason: string;
}

/** A resolved profile. */
export interface ResolvedProfile {
  /** Canonical id: the preferred id's value for `user_id`/`anonymous_id` (the keys events are stored under), else `<type>:<value>`. */
  readonly profileId: string;
  /** Every id of the profile, by type, sorted. */
  readonly ids: Readonly<Record<string, readonly string[]>>;
}

/** The identity graph: union-find over ids with over-merge limits. */
export interface IdentityGraph {
  /** Records that the ids belong to one person (from one message); returns the conflicts it caused. */
  link(ids: readonly Identifier[]): readonly IdentityConflict[];
  /** The profile an id belongs to, or undefined if never seen. */
  profileOf(id: Identifier): ResolvedProfile | undefined;
  /** Every profile, sorted by profile id. */
  profiles(): ResolvedProfile[];
  /** Every refused link so far. */
  conflicts(): readonly IdentityConflict[];
}

const DEFAULT_LIMITS: Readonly<Record<string, number>> = {
  user_id: 1,
  email: 3,
  twitch: 1,
  discord: 1,
  google: 1,
  microsoft: 1,
  anonymous_id: 100,
};
const DEFAULT_ORDER = ['user_id', 'email', 'discord', 'twitch', 'google', 'microsoft', 'phone', 'anonymous_id'];

const rulesSchema = z.object({
  maxIdsPerType: z.record(z.string().min(1), z.number().int().min(1)).optional(),
  canonicalOrder: z.array(z.string().min(1)).optional(),
});
const identifierSchema = z.object({ type: z.string().min(1).max(64), value: z.string().min(1).max(1024) });

const key = (id: Identifier) => `${id.type}:${id.value}`;

/**
 * Creates an identity graph. Ids seen together are merged with union-find (path halving, union by
 * size); before each merge the per-type counts of the two components are added, and a merge that
 * would give a profile more ids of a type than `maxIdsPerType` allows is refused and reported, so
 * one shared device or family email cannot fuse many people into one profile. Deterministic:
 * the same links in the same order give the same profiles.
 *
 * @throws `ValidationError` for bad rules or ids.
 */
export function createIdentityGraph(rules: IdentityRules = {}): IdentityGraph {
  parse(rulesSchema, rules, { path: 'rules', operation: 'createIdentityGraph' });
  const limits = { ...DEFAULT_LIMITS, ...rules.maxIdsPerType };
  const order = rules.canonicalOrder ?? DEFAULT_ORDER;
  const rank = (type: string) => {
    const index = order.indexOf(type);
    return index < 0 ? order.length - 0.5 : index;
  };
  const parent = new Map<string, string>();
  const members = new Map<string, Identifier[]>(); // root → ids
  const counts = new Map<string, Map<string, number>>(); // root → type → count
  const refused: IdentityConflict[] = [];

  const add = (id: Identifier) => {
    const k = key(id);
    if (parent.has(k)) return;
    parent.set(k, k);
    members.set(k, [id]);
    counts.set(k, new Map([[id.type, 1]]));
  };
  const find = (k: string): string => {
    let node = k;
    for (;;) {
      const up = parent.get(node) as string;
      if (up === node) return node;
      const grand = parent.get(up) as string;
      parent.set(node, grand);
      node = grand;
    }
  };

  return {
    link(ids) {
      const list = ids.map((id, i) => parse(identifierSchema, id, { path: `ids.${i}`, operation: 'link' }));
      const conflicts: IdentityConflict[] = [];
      for (const id of list) add(id);
      for (let i = 1; i < list.length; i++) {
        const a = find(key(list[0] as Identifier));
        const b = find(key(list[i] as Identifier));
        if (a === b) continue;
        const ca = counts.get(a) as Map<string, number>;
        const cb = counts.get(b) as Map<string, number>;
        const over = [...new Set([...ca.keys(), ...cb.keys()])].find((type) => (ca.get(type) ?? 0) + (cb.get(type) ?? 0) > (limits[type] ?? Number.POSITIVE_INFINITY));
        if (over !== undefined) {
          const conflict = { ids: list, type: over, reason: `merging would give one profile more than ${limits[over]} ${over} id(s)` };
          conflicts.push(conflict);
          refused.push(conflict);
          continue;
        }
        const [big, small] = (members.get(a) as Identifier[]).length >= (members.get(b) as Identifier[]).length ? [a, b] : [b, a];
        parent.set(small, big);
        (members.get(big) as Identifier[]).push(...(members.get(small) as Identifier[]));
        const cBig = counts.get(big) as Map<string, number>;
        for (const [type, n] of counts.get(small) as Map<string, number>) cBig.set(type, (cBig.get(type) ?? 0) + n);
        members.delete(small);
        counts.delete(small);
      }
      return conflicts;
    },
    profileOf(id) {
      const k = key(id);
      if (!parent.has(k)) return undefined;
      return describe(members.get(find(k)) as Identifier[]);
    },
    profiles() {
      return [...members.values()].map(describe).sort((p, q) => (p.profileId < q.profileId ? -1 : p.profileId > q.profileId ? 1 : 0));
    },
    conflicts: () => [...refused],
  };

  function describe(ids: readonly Identifier[]): ResolvedProfile {
    const byType: Record<string, string[]> = {};
    for (const id of ids) {
      const values = byType[id.type] ?? [];
      values.push(id.value);
      byType[id.type] = values;
    }
    for (const values of Object.values(byType)) values.sort();
    const canonical = [...ids].sort((p, q) => rank(p.type) - rank(q.type) || (p.value < q.value ? -1 : p.value > q.value ? 1 : 0))[0] as Identifier;
    // User and anonymous ids are the keys events are stored under, so they stay bare.
    return { profileId: canonical.type === 'user_id' || canonical.type === 'anonymous_id' ? canonical.value : key(canonical), ids: byType };
  }
}
