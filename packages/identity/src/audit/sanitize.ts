import { DEFAULT_SECRET_KEYS } from '@almanac/core';

const MAX_DEPTH = 8;

/**
 * A JSON-safe deep copy of audit details with every secret-looking key (password, token,
 * secret, authorization, …) removed, not masked: a secret must never reach the log, and a mask
 * would still say one was there. Dates become ISO strings, bigints strings; `undefined`,
 * functions and symbols are dropped; cycles and very deep values become `"[omitted]"`.
 */
export function sanitizeDetails(details: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  if (details === undefined) return {};
  const out = clean(details, 0, new WeakSet());
  return typeof out === 'object' && out !== null && !Array.isArray(out) ? (out as Record<string, unknown>) : {};
}

function clean(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const object = value as object;
  if (depth >= MAX_DEPTH || seen.has(object)) return '[omitted]';
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((item) => clean(item, depth + 1, seen) ?? null);
    if (object instanceof Set) return [...object].map((item) => clean(item, depth + 1, seen) ?? null);
    const entries = object instanceof Map ? [...object.entries()] : Object.entries(object);
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const name = String(key);
      if (DEFAULT_SECRET_KEYS.test(name)) continue;
      const cleaned = clean(item, depth + 1, seen);
      if (cleaned !== undefined) out[name] = cleaned;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}
