/**
 * What kind of value arrived, for validation messages: "a string", "an array", "null"; never
 * the value itself, which may be a secret (internal).
 */
export function describeType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}
