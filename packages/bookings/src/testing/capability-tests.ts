// Capabilities: what the provider declares matches what it has and what the facade allows.
import type { CapabilityMethodTable } from '@almanac/core/kit';
import { checkCapabilityTable } from '@almanac/core/testing';
import { expect } from 'vitest';
import { createCalendar } from '../facade/create-calendar';
import type { Calendar } from '../facade/types';
import { CALENDAR_CAPABILITY_METHODS } from '../spec';
import type { CalendarProvider } from '../spec';
import { expectCapability } from './assertions';
import { WATCH_ADDRESS } from './context';
import type { SuiteContext } from './context';

/**
 * The capabilities that need provider methods. `recurrence` needs none and no call is refused
 * without it (it says what listings contain), so the fixture tests check it by behaviour.
 */
const METHOD_CAPABILITIES: CapabilityMethodTable<CalendarProvider> = Object.fromEntries(
  Object.entries(CALENDAR_CAPABILITY_METHODS).filter(([, methods]) => methods.length > 0),
);

/** Registers the capability tests. */
export function registerCapabilityTests(context: SuiteContext): void {
  const { fixture, fullRange } = context;
  const id = { calendarId: fixture.calendarId };
  const slot = { start: '2026-05-04T10:00:00Z', end: '2026-05-04T11:00:00Z' };

  context.group('capabilities', () => {
    context.test('declares consistent capabilities', [], async (calendar) => {
      expect(calendar.name.length).toBeGreaterThan(0);
      const caps = calendar.capabilities;
      expect(Number.isInteger(caps.maxFreeBusyCalendars) && caps.maxFreeBusyCalendars > 0).toBe(true);
      expect(caps.maxFreeBusyRangeDays).toBeGreaterThan(0);
      for (const kind of caps.conferencing) expect(['meet', 'teams']).toContain(kind);
      const provider = calendar.provider as unknown as Record<string, unknown>;
      for (const [flag, methods] of Object.entries(CALENDAR_CAPABILITY_METHODS)) {
        const implemented = caps[flag as keyof typeof CALENDAR_CAPABILITY_METHODS] === true && methods.every((m) => typeof provider[m] === 'function');
        expect(calendar.supports(flag as keyof typeof CALENDAR_CAPABILITY_METHODS), flag).toBe(implemented);
      }
      for (const kind of ['meet', 'teams'] as const) {
        expect(calendar.supports(kind)).toBe(calendar.supports('write') && caps.conferencing.includes(kind));
      }
      const described = calendar.describeCapabilities();
      for (const [capability, support] of Object.entries(described)) {
        expect(support, capability).toBe(calendar.supports(capability as keyof typeof described) ? 'native' : false);
      }
    });

    context.test('has every method of each declared capability, and the facade refuses the others before calling it', [], async (calendar) => {
      await checkCapabilityTable<CalendarProvider, Calendar>({
        provider: calendar.provider,
        capabilityMethods: METHOD_CAPABILITIES,
        facade: (provider) => createCalendar(provider),
        calls: {
          freeBusy: (c) => c.freeBusy({ range: fullRange }),
          events: (c) => c.getEvent({ ...id, eventId: fixture.missingEventId }),
          write: (c) => c.createEvent({ ...id, title: 'x', ...slot, timeZone: 'UTC' }),
          incrementalSync: (c) => c.sync(id),
          push: (c) => c.watch({ ...id, address: WATCH_ADDRESS, token: 'secret' }),
        },
      });
    });

    context.test('rejects unsupported operations with CapabilityError naming the provider', [], async (calendar) => {
      const checks: Array<Promise<void>> = [];
      // Which operations this test refused, against what describeCapabilities reports as absent
      // (so a provider supporting everything still asserts something that can fail).
      const refused = (['freeBusy', 'events', 'write', 'incrementalSync', 'push'] as const).filter((capability) => !calendar.supports(capability));
      const described = calendar.describeCapabilities();
      expect(refused).toEqual(refused.filter((capability) => described[capability] === false));
      expect(Object.keys(described).filter((capability) => described[capability as keyof typeof described] === false && refused.includes(capability as never))).toEqual(refused);
      if (!calendar.supports('freeBusy')) checks.push(expectCapability(calendar, calendar.freeBusy({ range: fullRange })));
      if (!calendar.supports('events')) {
        checks.push(expectCapability(calendar, calendar.listEvents({ ...id, range: fullRange }).toArray()));
        checks.push(expectCapability(calendar, calendar.getEvent({ ...id, eventId: fixture.missingEventId })));
      }
      if (!calendar.supports('write')) {
        checks.push(expectCapability(calendar, calendar.createEvent({ ...id, title: 'x', ...slot, timeZone: 'UTC' })));
        checks.push(expectCapability(calendar, calendar.updateEvent({ ...id, eventId: fixture.missingEventId, patch: { title: 'x' } })));
        checks.push(expectCapability(calendar, calendar.cancelEvent({ ...id, eventId: fixture.missingEventId, notify: false })));
      }
      if (!calendar.supports('incrementalSync')) checks.push(expectCapability(calendar, calendar.sync(id)));
      if (!calendar.supports('push')) {
        checks.push(expectCapability(calendar, calendar.watch({ ...id, address: WATCH_ADDRESS, token: 'secret' })));
        const channel = { id: 'channel', calendarId: fixture.calendarId, address: WATCH_ADDRESS, expiresAt: fullRange.end };
        checks.push(expectCapability(calendar, calendar.unwatch(channel)));
      }
      await Promise.all(checks);
    });

    context.test('rejects conference kinds it cannot create', ['write'], async (calendar) => {
      for (const kind of ['meet', 'teams'] as const) {
        // With `write` supported, a conference kind is supported exactly when it is declared.
        expect(calendar.supports(kind), kind).toBe(calendar.capabilities.conferencing.includes(kind));
        if (calendar.supports(kind)) continue;
        await expectCapability(calendar, calendar.createEvent({ ...id, title: `No ${kind}`, ...slot, timeZone: 'UTC', conference: kind }));
      }
    });
  });
}
