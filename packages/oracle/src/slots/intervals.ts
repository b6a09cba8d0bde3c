import { OracleRangeError } from '../errors';
import { array, finiteNumber, object } from '../validate';
import { intersectSpans, normaliseSpans, subtractSpans } from './spans';
import type { NumericInterval } from './types';

function readIntervals(field: string, value: unknown): Array<[number, number]> {
  return array(field, value).map((item, i) => {
    const o = object(`${field}[${i}]`, item);
    const start = finiteNumber(`${field}[${i}].start`, o['start']);
    const end = finiteNumber(`${field}[${i}].end`, o['end']);
    if (end < start) throw new OracleRangeError(`${field}[${i}].end`, 'must not be before start');
    return [start, end];
  });
}

function toIntervals(spans: readonly number[]): NumericInterval[] {
  const out: NumericInterval[] = [];
  for (let i = 0; i < spans.length; i += 2) out.push({ start: spans[i] as number, end: spans[i + 1] as number });
  return out;
}

/**
 * Union of half-open intervals as a sorted list of disjoint intervals, in O(n log n).
 * Touching intervals (`[1, 2)` and `[2, 3)`) merge, because nothing fits between them;
 * empty intervals disappear. Input order does not matter and the input is not mutated.
 */
export function mergeIntervals(intervals: readonly NumericInterval[]): NumericInterval[] {
  return toIntervals(normaliseSpans(readIntervals('intervals', intervals)));
}

/** The parts of `from` not covered by any of `remove` (both unsorted, overlaps allowed), merged and sorted. */
export function subtractIntervals(
  from: readonly NumericInterval[],
  remove: readonly NumericInterval[],
): NumericInterval[] {
  const a = normaliseSpans(readIntervals('from', from));
  const b = normaliseSpans(readIntervals('remove', remove));
  return toIntervals(subtractSpans(a, b));
}

/** The instants covered by both `a` and `b` (each unsorted, overlaps allowed), merged and sorted. */
export function intersectIntervals(a: readonly NumericInterval[], b: readonly NumericInterval[]): NumericInterval[] {
  const x = normaliseSpans(readIntervals('a', a));
  const y = normaliseSpans(readIntervals('b', b));
  return toIntervals(intersectSpans(x, y));
}
