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
  /**
   * Records that the ids belong to one person (from one message); returns the conflicts it caused.
   * An id of type `previous_id` is an alias's previous id, whose kind is not known (see {@link IdentityGraph.alias}).
   */
  link(ids: readonly Identifier[]): readonly IdentityConflict[];
  /**
   * Records a Segment `alias`: `previousId` is the id the user was referred to by before `userId`,
   * an anonymous id or an earlier user id (https://segment.com/docs/connections/spec/alias/).
   * It joins `userId` with the `user_id` of that value and the `anonymous_id` of that value,
   * whichever exist now or appear later, under the same limits as every link (so by default an
   * alias of an anonymous id merges, and an alias of an earlier user id is refused and reported
   * unless `maxIdsPerType.user_id` allows two). A previous id never seen as either is listed as
   * an `anonymous_id` (Segment's common case) until it is seen. Same as
   * `link([{ type: 'user_id', value: userId }, { type: 'previous_id', value: previousId }])`.
   *
   * @throws `ValidationError` naming `userId` or `previousId` when empty or too long.
   */
  alias(userId: string, previousId: string): readonly IdentityConflict[];
  /** The profile an id belongs to, or undefined if never seen. */
  profileOf(id: Identifier): ResolvedProfile | undefined;
  /** Every profile, sorted by profile id. */
  profiles(): ResolvedProfile[];
  /** Every refused link so far. */
  conflicts(): readonly IdentityConflict[];
}

/**
 * The id type of an alias's previous id: a reference to the `user_id` or `anonymous_id` of the
 * same value, resolved by the graph (never listed in a profile's ids, never counted by the limits).
 */
export const PREVIOUS_ID_TYPE = 'previous_id';

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
const aliasSchema = z.object({ userId: z.string().min(1).max(1024), previousId: z.string().min(1).max(1024) });

const key = (id: Identifier) => `${id.type}:${id.value}`;
/** What `identifierSchema` accepts, checked without it (about 20 times faster per id). */
const plainIdentifier = (id: unknown): id is Identifier => {
  if (typeof id !== 'object' || id === null) return false;
  const { type, value } = id as { type?: unknown; value?: unknown };
  return typeof type === 'string' && type.length >= 1 && type.length <= 64 && typeof value === 'string' && value.length >= 1 && value.length <= 1024;
};
const USER = 'user_id';
const ANON = 'anonymous_id';
const REF = PREVIOUS_ID_TYPE;
const cmp = (p: string, q: string) => (p < q ? -1 : p > q ? 1 : 0);

/**
 * Creates an identity graph. Ids seen together are merged with union-find (path halving, union by
 * size); before each merge the per-type counts of the two components are added, and a merge that
 * would give a profile more ids of a type than `maxIdsPerType` allows is refused and reported, so
 * one shared device or family email cannot fuse many people into one profile.
 *
 * An alias's previous id (type `previous_id`) is a node of its own, joined to the `user_id` and the
 * `anonymous_id` of the same value as soon as both exist, whichever arrives first; so without
 * refused links the profiles are the connected components of everything linked, whatever the
 * order of the calls. Profile ids are a function of the profiles: each profile's preferred id
 * (`canonicalOrder`, then value), bare for user ids and for anonymous ids no user id is spelt
 * like, else `<type>:<value>`; should that still meet another profile's id (a user id spelt like
 * `email:…`), the profile whose preferred id ranks first keeps it and the other gets `#2`, `#3`,
 * … appended, so profile ids are unique.
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
  const before = (p: Identifier, q: Identifier) => rank(p.type) - rank(q.type) || cmp(p.value, q.value) || cmp(p.type, q.type);
  const parent = new Map<string, string>();
  const members = new Map<string, Identifier[]>(); // root → ids (previous ids included)
  const counts = new Map<string, Map<string, number>>(); // root → type → count (previous ids not counted)
  const refused: IdentityConflict[] = [];
  // Profiles by root, rebuilt on the first read after a change.
  let resolved: Map<string, ResolvedProfile> | undefined;

  /** Adds the id if new; returns the pairs its arrival joins (a previous id and its user/anonymous id). */
  const add = (id: Identifier): [Identifier, Identifier][] => {
    const k = key(id);
    if (parent.has(k)) return [];
    parent.set(k, k);
    members.set(k, [id]);
    counts.set(k, id.type === REF ? new Map() : new Map([[id.type, 1]]));
    if (id.type === REF) {
      return [USER, ANON].filter((type) => parent.has(`${type}:${id.value}`)).map((type) => [id, { type, value: id.value }]);
    }
    if ((id.type === USER || id.type === ANON) && parent.has(`${REF}:${id.value}`)) return [[{ type: REF, value: id.value }, id]];
    return [];
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
  const union = (x: Identifier, y: Identifier, observed: readonly Identifier[]): IdentityConflict | undefined => {
    const a = find(key(x));
    const b = find(key(y));
    if (a === b) return undefined;
    const ca = counts.get(a) as Map<string, number>;
    const cb = counts.get(b) as Map<string, number>;
    const over = [...new Set([...ca.keys(), ...cb.keys()])].find((type) => (ca.get(type) ?? 0) + (cb.get(type) ?? 0) > (limits[type] ?? Number.POSITIVE_INFINITY));
    if (over !== undefined) {
      const total = (ca.get(over) ?? 0) + (cb.get(over) ?? 0);
      return {
        ids: observed,
        type: over,
        reason: `merging would give one profile ${total} ${over} ids, more than maxIdsPerType.${over} (${limits[over]}) allows`,
      };
    }
    const [big, small] = (members.get(a) as Identifier[]).length >= (members.get(b) as Identifier[]).length ? [a, b] : [b, a];
    parent.set(small, big);
    const into = members.get(big) as Identifier[];
    // A loop, not push(...ids): spreading a profile of 100,000+ ids would overflow the call stack.
    for (const id of members.get(small) as Identifier[]) into.push(id);
    const cBig = counts.get(big) as Map<string, number>;
    for (const [type, n] of counts.get(small) as Map<string, number>) cBig.set(type, (cBig.get(type) ?? 0) + n);
    members.delete(small);
    counts.delete(small);
    return undefined;
  };

  const link = (list: readonly Identifier[]): IdentityConflict[] => {
    resolved = undefined;
    const conflicts: IdentityConflict[] = [];
    const pending: [Identifier, Identifier][] = [];
    for (const id of list) pending.push(...add(id));
    // The message's own links first, then the previous ids its new ids resolve.
    const pairs: [Identifier, Identifier][] = [...list.slice(1).map((id): [Identifier, Identifier] => [list[0] as Identifier, id]), ...pending];
    for (const [x, y] of pairs) {
      const conflict = union(x, y, list);
      if (conflict) {
        conflicts.push(conflict);
        refused.push(conflict);
      }
    }
    return conflicts;
  };

  /** Ids a component lists: its own, and its previous ids not (yet) seen as a user or anonymous id, as anonymous ids. */
  const listed = (ids: readonly Identifier[]): Identifier[] =>
    ids.flatMap((id) => {
      if (id.type !== REF) return [id];
      return parent.has(`${USER}:${id.value}`) || parent.has(`${ANON}:${id.value}`) ? [] : [{ type: ANON, value: id.value }];
    });

  /** A component's listed ids by type, its preferred id and the profile id it asks for. */
  const describe = (ids: readonly Identifier[]) => {
    const own = listed(ids);
    const preferred = own.reduce((best, id) => (before(id, best) < 0 ? id : best), own[0] as Identifier);
    // A bare value is the user id of that value wherever it is (the key its events and identity
    // observations are stored under), so an anonymous id spelt like a user id is typed.
    const bare = preferred.type === USER || (preferred.type === ANON && !parent.has(`${USER}:${preferred.value}`));
    const byType: Record<string, string[]> = {};
    for (const id of own) {
      const values = byType[id.type] ?? [];
      values.push(id.value);
      byType[id.type] = values;
    }
    for (const values of Object.values(byType)) values.sort(cmp);
    const sorted = Object.fromEntries(Object.entries(byType).sort(([p], [q]) => cmp(p, q)));
    return { preferred, wanted: bare ? preferred.value : key(preferred), ids: sorted };
  };

  const resolve = (): Map<string, ResolvedProfile> => {
    if (resolved) return resolved;
    const components = [...members.entries()].map(([root, ids]) => ({ root, ...describe(ids) }));
    // Profiles claim their id in the order of their preferred ids, so a user id keeps its bare value.
    components.sort((p, q) => before(p.preferred, q.preferred));
    const taken = new Set<string>();
    resolved = new Map();
    for (const { root, preferred, wanted, ids } of components) {
      let profileId = wanted;
      for (let n = 2; taken.has(profileId); n++) profileId = `${key(preferred)}#${n}`;
      taken.add(profileId);
      resolved.set(root, { profileId, ids });
    }
    return resolved;
  };

  return {
    link(ids) {
      // The plain check takes the common valid id; anything else goes through the schema, whose error names the field.
      return link(ids.map((id, i) => (plainIdentifier(id) ? { type: id.type, value: id.value } : parse(identifierSchema, id, { path: `ids.${i}`, operation: 'link' }))));
    },
    alias(userId, previousId) {
      parse(aliasSchema, { userId, previousId }, { operation: 'alias' });
      return link([
        { type: USER, value: userId },
        { type: REF, value: previousId },
      ]);
    },
    profileOf(id) {
      let k = key(id);
      // An anonymous id known only as an alias's previous id is listed by the alias's profile.
      if (!parent.has(k) && id.type === ANON && !parent.has(`${USER}:${id.value}`)) k = `${REF}:${id.value}`;
      if (!parent.has(k)) return undefined;
      const root = find(k);
      if (resolved) return resolved.get(root);
      // Only ids with a colon can meet another profile's (bare ids are distinct user ids, or
      // anonymous ids no user id is spelt like): the others need no pass over every profile.
      const own = describe(members.get(root) as Identifier[]);
      return own.wanted.includes(':') ? resolve().get(root) : { profileId: own.wanted, ids: own.ids };
    },
    profiles() {
      return [...resolve().values()].sort((p, q) => cmp(p.profileId, q.profileId));
    },
    conflicts: () => [...refused],
  };
}
