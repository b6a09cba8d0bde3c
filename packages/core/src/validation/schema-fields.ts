import type { EnvKind } from './env-coerce';

// What loadConfig reads from a schema's structure: the top-level keys (to know which
// variables to read) and, for zod, each field's primitive (to coerce strings). Standard
// Schema only defines `validate`, so this is vendor by vendor; anything unknown falls
// back to `options.keys` and raw strings.

type Def = Record<string, unknown> & { type?: unknown; typeName?: unknown };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** zod 4's definition (`schema._zod.def`), if `schema` is a zod 4 schema. */
function zod4Def(schema: unknown): Def | undefined {
  const internals = isRecord(schema) ? schema['_zod'] : undefined;
  const def = isRecord(internals) ? internals['def'] : undefined;
  return isRecord(def) && typeof def['type'] === 'string' ? (def as Def) : undefined;
}

/** zod 3's definition (`schema._def` with a `typeName`), if `schema` is a zod 3 schema. */
function zod3Def(schema: unknown): Def | undefined {
  if (!isRecord(schema) || '_zod' in schema) return undefined;
  const def = schema['_def'];
  return isRecord(def) && typeof def['typeName'] === 'string' ? (def as Def) : undefined;
}

const VALIBOT_OBJECTS = new Set(['object', 'loose_object', 'strict_object', 'object_with_rest']);

/**
 * The top-level fields of an object schema by key: zod 4 and zod 3 objects (also under
 * refinements and transforms) and valibot objects (also in a pipe). `undefined` when the
 * schema does not expose them.
 */
export function objectFieldsOf(schema: unknown): Readonly<Record<string, unknown>> | undefined {
  let current = schema;
  for (let depth = 0; depth < 32; depth++) {
    const v4 = zod4Def(current);
    if (v4) {
      if (v4.type === 'object' && isRecord(v4['shape'])) return v4['shape'];
      if (v4.type !== 'pipe') return undefined;
      current = v4['in'];
      continue;
    }
    const v3 = zod3Def(current);
    if (v3) {
      if (v3.typeName === 'ZodObject' && typeof v3['shape'] === 'function') return (v3['shape'] as () => Record<string, unknown>)();
      if (v3.typeName === 'ZodEffects') current = v3['schema'];
      else if (v3.typeName === 'ZodPipeline') current = v3['in'];
      else return undefined;
      continue;
    }
    // valibot: a pipe spreads its first schema, so `entries` is on the piped schema too.
    if (isRecord(current) && current['kind'] === 'schema' && VALIBOT_OBJECTS.has(current['type'] as string) && isRecord(current['entries'])) {
      return current['entries'];
    }
    return undefined;
  }
  return undefined;
}

// zod 4 wrappers whose inner schema decides the expected type of the raw value.
const ZOD4_WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);
// The same for zod 3 (`_def.innerType`).
const ZOD3_WRAPPERS = new Set(['ZodOptional', 'ZodNullable', 'ZodDefault', 'ZodCatch', 'ZodReadonly']);

const literalKind = (values: readonly unknown[]): EnvKind => {
  if (values.length > 0 && values.every((value) => typeof value === 'number')) return 'number';
  if (values.length > 0 && values.every((value) => typeof value === 'boolean')) return 'boolean';
  return 'string';
};

/**
 * Works out which primitive a zod (4 or 3) field wants by unwrapping optional/default/…
 * and the input side of pipes (so `z.string().transform(...)` stays a string). Anything not
 * clearly a number, boolean or array of those, and any field of another schema library,
 * is handed to the schema as the raw string.
 */
export function envKindOf(field: unknown): EnvKind {
  let current = field;
  for (let depth = 0; depth < 32; depth++) {
    const v4 = zod4Def(current);
    if (v4) {
      if (ZOD4_WRAPPERS.has(v4.type as string)) current = v4['innerType'];
      else if (v4.type === 'pipe') current = v4['in'];
      else if (v4.type === 'number') return 'number';
      else if (v4.type === 'boolean') return 'boolean';
      else if (v4.type === 'literal') return literalKind(v4['values'] as unknown[]);
      else if (v4.type === 'array') return { array: envKindOf(v4['element']) };
      else return 'string';
      continue;
    }
    const v3 = zod3Def(current);
    if (v3) {
      const name = v3.typeName as string;
      if (ZOD3_WRAPPERS.has(name)) current = v3['innerType'];
      else if (name === 'ZodBranded') current = v3['type'];
      else if (name === 'ZodPipeline') current = v3['in'];
      // A preprocess step receives the raw input, so it gets the raw string.
      else if (name === 'ZodEffects') {
        if ((v3['effect'] as { type?: unknown } | undefined)?.type === 'preprocess') return 'string';
        current = v3['schema'];
      } else if (name === 'ZodNumber') return 'number';
      else if (name === 'ZodBoolean') return 'boolean';
      else if (name === 'ZodLiteral') return literalKind([v3['value']]);
      else if (name === 'ZodArray') return { array: envKindOf(v3['type']) };
      else return 'string';
      continue;
    }
    return 'string';
  }
  return 'string';
}
