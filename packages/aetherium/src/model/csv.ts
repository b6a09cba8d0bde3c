import { ValidationError } from '@almanac/core';
import { parseFocusRow } from './focus-row';
import type { FocusRow, ParseFocusRowOptions } from './focus-row';

/**
 * Splits RFC 4180 CSV text into records: quoted fields may hold commas, doubled quotes and line
 * breaks; a leading byte-order mark is dropped; blank lines are skipped (the specification's
 * examples have them).
 */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') endRecord();
    else if (c !== '\r') field += c;
  }
  if (quoted) throw new ValidationError('CSV text ends inside a quoted field', [{ path: 'text', message: 'ends inside a quoted field' }]);
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

/**
 * Reads a FOCUS CSV export (header row, then one charge per row) into validated rows. For tests,
 * small files and the memory source; `@almanac/aetherium/focus` aggregates large files with DuckDB
 * instead.
 *
 * @throws `ValidationError` naming the row and field (`rows.12.BilledCost`), or `text` for broken CSV.
 */
export function parseFocusCsv(text: string, options: Omit<ParseFocusRowOptions, 'path'> = {}): FocusRow[] {
  if (typeof text !== 'string') throw new ValidationError(undefined, [{ path: 'text', message: 'must be a string' }]);
  const [header, ...records] = parseCsvRecords(text);
  if (header === undefined) return [];
  return records.map((fields, index) => {
    const record: Record<string, string> = {};
    header.forEach((name, column) => {
      record[name.trim()] = fields[column] ?? '';
    });
    return parseFocusRow(record, { ...options, path: `rows.${index}` });
  });
}
