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
 * Found by this suite in December 2026 (22 functions threw raw TypeErrors, mostly from formatting
 * the bad value into the message or reading fields of an unchecked argument) and fixed since:
 * nothing is known to fail. A new entry here needs a reason and an issue.
 */
const KNOWN_ISSUES: Record<string, string> = {};

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
