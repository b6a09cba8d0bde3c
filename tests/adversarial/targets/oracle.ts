// @almanac/oracle: pure functions. Every export is called with hostile arguments and must
// return or throw one of oracle's typed input errors (which carry core's AlmanacError brand);
// the ones that read text also get the hostile 1 MB texts.
import * as oracle from '@almanac/oracle';
import fc from 'fast-check';
import { hostileValue } from '../harness/hostile';
import type { AdversarialTargets, FacadeOperation, FacadeTarget } from './types';

type AnyFunction = (...args: unknown[]) => unknown;

/** Every exported function but the error classes. */
const functions = Object.entries(oracle).filter(
  (entry): entry is [string, AnyFunction] => typeof entry[1] === 'function' && !/Error$/.test(entry[0]),
);

const operations: Record<string, FacadeOperation<null>> = {};
for (const [name, fn] of functions) {
  operations[name] = {
    // Up to one argument more than declared: extra arguments must be ignored or refused.
    args: fc.array(hostileValue, { maxLength: fn.length + 1 }),
    call: (_subject, args) => fn(...args),
  };
}

/**
 * Found by this suite (December 2026) and not fixed yet: each throws a raw TypeError on some
 * hostile argument instead of OracleTypeError/OracleRangeError. Most come from formatting the
 * bad value into the message (`${value}` of a null-prototype object throws) or from reading
 * fields of an unchecked argument.
 */
const KNOWN_ISSUES: Record<string, string> = {
  addDays: 'TypeError: Cannot convert object to primitive value',
  allDayToRange: 'TypeError: Cannot convert object to primitive value',
  anomalyThreshold: 'TypeError: Cannot convert object to primitive value',
  churnActions: 'TypeError: Do not know how to serialize a BigInt',
  dateInZone: 'TypeError: instant.getTime is not a function',
  formatDate: "TypeError: Cannot read properties of undefined (reading 'year')",
  formatInZone: 'TypeError: instant.getTime is not a function',
  formatLocalDateTime: "TypeError: Cannot read properties of undefined (reading 'millisecond')",
  fromWallMs: 'TypeError: Cannot convert object to primitive value',
  haversineKm: 'TypeError: Cannot convert object to primitive value',
  instantToLocal: 'TypeError: instant.getTime is not a function',
  isEuropeanRegion: 'TypeError: region.trim is not a function',
  isIsoDate: 'TypeError: Cannot convert object to primitive value',
  isValidLocalDateTime: "TypeError: Cannot destructure property 'year' of 'local'",
  mulberry32: 'TypeError: Cannot convert object to primitive value',
  parseIsoInstant: 'TypeError: Cannot convert object to primitive value',
  parseLocalDateTime: 'TypeError: Cannot convert object to primitive value',
  startOfDayInZone: 'TypeError: Cannot convert object to primitive value',
  toWallMs: "TypeError: Cannot read properties of undefined (reading 'year')",
  validateStoragePriceTable: 'TypeError: field.replace is not a function',
  wallMsToInstantMs: "TypeError: Cannot read properties of undefined (reading 'offsetAt')",
  zonedLocalToInstant: 'TypeError: Cannot convert object to primitive value',
};

const oracleFunctions: FacadeTarget<null> = {
  name: '@almanac/oracle',
  create: () => null,
  operations,
  numRuns: 30,
  knownIssues: KNOWN_ISSUES,
};

const slotRequest = (text: string) => ({
  range: { start: text, end: text },
  durationMinutes: 30,
  participants: [{ id: text, busy: [{ start: text, end: text }], timeZone: text }],
});

export const oracleTargets: AdversarialTargets = {
  package: '@almanac/oracle',
  text: [
    // Classification runs a dozen detectors (cards, phones, IBANs, …) over the text: linear, ~35 ms
    // of CPU for 1 MB of digits here, so a 50 ms bound would leave no margin on a loaded machine.
    { name: 'oracle: classifyContent', run: (text: string) => oracle.classifyContent(text), budgetMs: { sparse: 150, dense: 500 } },
    {
      name: 'oracle: classifyObject (key, type, sample)',
      run: (text: string) => oracle.classifyObject({ key: text, contentType: text, contentSample: text }),
      budgetMs: { sparse: 150, dense: 500 },
    },
    { name: 'oracle: parseIsoInstant', run: (text: string) => oracle.parseIsoInstant(text) },
    { name: 'oracle: parseLocalDateTime', run: (text: string) => oracle.parseLocalDateTime(text) },
    { name: 'oracle: zonedLocalToInstant', run: (text: string) => oracle.zonedLocalToInstant(text, text) },
    {
      name: 'oracle: isValidTimeZone',
      run: (text: string) => oracle.isValidTimeZone(text),
      // Linear, but the runtime's own zone lookup (Intl) takes ~60 ms of CPU on 1 MB here; a
      // length check before Intl (zone names are under 40 characters) would make it instant.
      budgetMs: { sparse: 250 },
    },
    { name: 'oracle: findSlots (text instants, ids and zones)', prepare: slotRequest, run: (request: ReturnType<typeof slotRequest>) => oracle.findSlots(request as never) },
  ],
  facades: [oracleFunctions],
};
