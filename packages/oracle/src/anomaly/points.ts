import { OracleRangeError } from '../errors';
import { array, finiteNumber, instant, object } from '../validate';

/** One observation of a metric. */
export interface AnomalyPoint {
  /** Observation time (Date, ISO string or epoch ms); non-decreasing across points (repeats allowed). */
  readonly timestamp: Date | number | string;
  /** The measured value (finite). */
  readonly value: number;
}

/** Validates points and returns epoch-ms times and values as typed arrays. */
export function readPoints(field: string, points: unknown): { times: Float64Array; values: Float64Array } {
  const list = array(field, points);
  const times = new Float64Array(list.length);
  const values = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const p = list[i] as { timestamp?: unknown; value?: unknown } | null;
    if (typeof p !== 'object' || p === null) object(`${field}[${i}]`, p);
    const ts = (p as { timestamp?: unknown }).timestamp;
    const at = typeof ts === 'number' ? finiteNumber(`${field}[${i}].timestamp`, ts) : instant(`${field}[${i}].timestamp`, ts);
    // Repeated stamps occur in real exports (e.g. DST fold-backs); only going back in time is an error.
    if (i > 0 && at < times[i - 1]!) throw new OracleRangeError(`${field}[${i}].timestamp`, 'timestamps must be in non-decreasing order');
    times[i] = at;
    values[i] = finiteNumber(`${field}[${i}].value`, (p as { value?: unknown }).value);
  }
  return { times, values };
}
