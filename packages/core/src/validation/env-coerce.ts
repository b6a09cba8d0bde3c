import type { z } from 'zod';

/** How an environment string is turned into the value a schema field expects. */
export type EnvKind = 'string' | 'number' | 'boolean' | { array: EnvKind };

/** Result of coercing one variable: the value, or why it could not be read. */
export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

// Wrappers whose inner schema decides the expected type of the raw value.
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/**
 * Works out which primitive a field wants by unwrapping optional/default/… and the
 * input side of pipes (so `z.string().transform(...)` stays a string). Anything not
 * clearly a number, boolean or array of those is handed to zod as the raw string.
 */
export function envKindOf(schema: z.core.$ZodType): EnvKind {
  let current: z.core.$ZodType = schema;
  for (let depth = 0; depth < 32; depth++) {
    const def = current._zod.def as unknown as Record<string, unknown> & { type: string };
    if (WRAPPERS.has(def.type)) {
      current = def['innerType'] as z.core.$ZodType;
      continue;
    }
    if (def.type === 'pipe') {
      current = def['in'] as z.core.$ZodType;
      continue;
    }
    if (def.type === 'number') return 'number';
    if (def.type === 'boolean') return 'boolean';
    if (def.type === 'literal') {
      const values = def['values'] as unknown[];
      if (values.length > 0 && values.every((value) => typeof value === 'number')) return 'number';
      if (values.length > 0 && values.every((value) => typeof value === 'boolean')) return 'boolean';
      return 'string';
    }
    if (def.type === 'array') return { array: envKindOf(def['element'] as z.core.$ZodType) };
    return 'string';
  }
  return 'string';
}

/** Coerces one raw variable. Messages describe the expected form, never the value. */
export function coerceEnv(raw: string, kind: EnvKind): Coerced {
  if (kind === 'string') return { ok: true, value: raw };
  if (kind === 'boolean') {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, value: true };
    if (FALSE_WORDS.has(word)) return { ok: true, value: false };
    return { ok: false, message: 'must be a boolean (true/false, 1/0, yes/no, on/off)' };
  }
  if (kind === 'number') {
    const text = raw.trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) return { ok: false, message: 'must be a finite number' };
    return { ok: true, value };
  }
  const items: unknown[] = [];
  const parts = raw.split(',').map((part) => part.trim()).filter((part) => part !== '');
  for (const [index, part] of parts.entries()) {
    const item = coerceEnv(part, kind.array);
    if (!item.ok) return { ok: false, message: `item ${index} ${item.message}` };
    items.push(item.value);
  }
  return { ok: true, value: items };
}

/** `forcePathStyle` → `FORCE_PATH_STYLE`, `baseURL` → `BASE_URL`, `s3Bucket` → `S3_BUCKET`. */
export function toUpperSnake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}
