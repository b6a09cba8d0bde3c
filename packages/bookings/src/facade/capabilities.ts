import type { CapabilitySupport, OperationRunner } from '@almanac/core/kit';
import { CALENDAR_CAPABILITY_METHODS } from '../spec';
import type { CalendarCapability, CalendarProvider, ConferenceKind } from '../spec';
import type { CalendarCapabilitySupport } from './types';

/** The runner of a calendar facade. */
export type CalendarRunner = OperationRunner<CalendarProvider, typeof CALENDAR_CAPABILITY_METHODS>;

/** Every capability `Calendar.supports` answers for, in a stable order. */
export const CALENDAR_CAPABILITIES: readonly CalendarCapability[] = Object.freeze([
  ...(Object.keys(CALENDAR_CAPABILITY_METHODS) as (keyof typeof CALENDAR_CAPABILITY_METHODS)[]),
  'meet',
  'teams',
]);

function isConferenceKind(capability: CalendarCapability): capability is ConferenceKind {
  return capability === 'meet' || capability === 'teams';
}

/**
 * Whether the provider behind `runner` supports `capability`. Flags come from the capability
 * table (flag set and methods present). A conference kind is the one extra rule: it is listed in
 * `capabilities.conferencing` and events can be written, since a link is only made by `createEvent`.
 */
export function supportsCalendarCapability(runner: CalendarRunner, capability: CalendarCapability): boolean {
  if (isConferenceKind(capability)) {
    const kinds: unknown = runner.provider.capabilities.conferencing;
    return runner.supports('write') && Array.isArray(kinds) && kinds.includes(capability);
  }
  return runner.supports(capability);
}

/**
 * How each capability is served: `'native'` by the provider, `false` when unavailable. The
 * calendar facade emulates nothing today (it splits large free/busy requests, but the provider
 * still answers them), so no entry is `'emulated'`.
 */
export function describeCalendarCapabilities(runner: CalendarRunner): CalendarCapabilitySupport {
  const support = {} as Record<CalendarCapability, CapabilitySupport>;
  for (const capability of CALENDAR_CAPABILITIES) {
    support[capability] = supportsCalendarCapability(runner, capability) ? 'native' : false;
  }
  return Object.freeze(support);
}
