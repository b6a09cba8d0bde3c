/** `T` with `undefined` removed from optional properties (as `exactOptionalPropertyTypes` wants). */
export type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * Drops `undefined` properties. Zod outputs `field?: T | undefined`, and spreading that into a
 * spec request would hand providers explicit `undefined`s they must then tell from absence.
 */
export function compact<T extends object>(value: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field;
  return out as Compact<T>;
}
