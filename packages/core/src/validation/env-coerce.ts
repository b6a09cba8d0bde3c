/** How an environment string is turned into the value a schema field expects. */
export type EnvKind = 'string' | 'number' | 'boolean' | { array: EnvKind };

/** Result of coercing one variable: the value, or why it could not be read. */
export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

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
