import { CapabilityError, compact, parse, silentLogger, systemClock } from '@almanac/core';
import { assertProviderContract, createOperationRunner } from '@almanac/core/kit';
import type { RunOptions } from '@almanac/core/kit';
import { CALENDAR_CAPABILITY_METHODS, CALENDAR_SPECIFICATION_VERSION } from '../spec';
import type {
  CalendarCapabilityFlag,
  CalendarProvider,
  CancelEventRequest,
  CreateEventRequest,
  SyncRequest,
  UpdateEventRequest,
  WatchRequest,
} from '../spec';
import { calendarAttributes, toCalendarAuditEvent } from './audit';
import { describeCalendarCapabilities, supportsCalendarCapability } from './capabilities';
import type { CalendarRunner } from './capabilities';
import { mapBounded, mergeFreeBusy, planFreeBusy } from './free-busy';
import { listEvents } from './list-events';
import {
  calendarOptionsSchema,
  cancelEventSchema,
  createEventSchema,
  freeBusySchema,
  getEventSchema,
  syncSchema,
  unwatchSchema,
  updateEventSchema,
  watchSchema,
} from './schemas';
import type { Calendar, CalendarOptions } from './types';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_FREE_BUSY_CONCURRENCY = 4;

/**
 * A validated request as the provider gets it: the caller's signal replaced by the operation's
 * (which also fires at the deadline), absent optional fields left out.
 */
function forward<T extends { readonly signal?: AbortSignal | undefined }>(request: T, signal: AbortSignal) {
  const { signal: _caller, ...fields } = request;
  return compact({ ...fields, signal });
}

/**
 * Wraps a provider in the {@link Calendar} facade, on core's operation runner. Every call is
 * validated (`ValidationError` naming the field), checked against `capabilities`
 * (`CapabilityError` before the provider is touched), bounded by `timeoutMs` and the caller's
 * signal (`TimeoutError`/`AbortedError`), and fails only with `AlmanacError`s naming provider
 * and operation (anything else becomes `ProviderError`). Each call emits one OpenTelemetry span
 * and one audit event (`onEvent`).
 *
 * @throws `ConfigError` when `provider` is not a calendar provider of this contract version
 * (`specificationVersion: 'v1'`); `ValidationError` naming the bad option.
 */
export function createCalendar(provider: CalendarProvider, options: CalendarOptions = {}): Calendar {
  assertProviderContract(provider, { domain: 'calendar', expected: CALENDAR_SPECIFICATION_VERSION });
  parse(calendarOptionsSchema, options, { provider: provider.name, operation: 'createCalendar', path: 'options' });
  const onEvent = options.onEvent;
  const runner: CalendarRunner = createOperationRunner({
    domain: 'calendar',
    provider,
    capabilityMethods: CALENDAR_CAPABILITY_METHODS,
    defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    timeoutMs: options.timeoutMs,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    onAudit: onEvent === undefined ? undefined : (event) => onEvent(toCalendarAuditEvent(event)),
  });
  const name = runner.providerName;
  const concurrency = options.freeBusyConcurrency ?? DEFAULT_FREE_BUSY_CONCURRENCY;

  /** Run options of a call: the capability it needs, whether a repeat is harmless, its calendar. */
  const on = (capability: CalendarCapabilityFlag, input: unknown, idempotent: boolean): RunOptions<CalendarCapabilityFlag> => ({
    capability,
    idempotent,
    attributes: calendarAttributes(input),
  });

  return {
    provider,
    name,
    capabilities: provider.capabilities,
    supports: (capability) => supportsCalendarCapability(runner, capability),
    describeCapabilities: () => describeCalendarCapabilities(runner),

    freeBusy: (input) =>
      runner.run(
        'freeBusy',
        input,
        freeBusySchema,
        async (request, { signal }) => {
          const chunks = planFreeBusy(request.calendars, request.range, provider.capabilities);
          const results = await mapBounded(chunks, concurrency, (chunk) =>
            provider.freeBusy(
              chunk.calendars === undefined ? { range: chunk.range, signal } : { calendars: chunk.calendars, range: chunk.range, signal },
            ),
          );
          return mergeFreeBusy(request.calendars, request.range, results);
        },
        on('freeBusy', input, true),
      ),

    listEvents: (input) => listEvents(runner, input),

    getEvent: (input) =>
      runner.run(
        'getEvent',
        input,
        getEventSchema,
        (request, { signal }) => provider.getEvent({ calendarId: request.calendarId, eventId: request.eventId, signal }),
        on('events', input, true),
      ),

    createEvent: (input) =>
      runner.run(
        'createEvent',
        input,
        createEventSchema,
        (request, { signal }) => {
          const writer = runner.require('write', 'createEvent');
          if (request.conference !== undefined && !supportsCalendarCapability(runner, request.conference)) {
            throw new CapabilityError(`conference links of kind "${request.conference}"`, { provider: name, operation: 'createEvent' });
          }
          return writer.createEvent(forward(request, signal) as CreateEventRequest);
        },
        on('write', input, typeof (input as { idempotencyKey?: unknown } | null)?.idempotencyKey === 'string'),
      ),

    updateEvent: (input) =>
      runner.run(
        'updateEvent',
        input,
        updateEventSchema,
        (request, { signal }) =>
          runner.require('write', 'updateEvent').updateEvent(forward({ ...request, patch: compact(request.patch) }, signal) as UpdateEventRequest),
        // Only an etag makes a repeated patch safe against someone else's change in between.
        on('write', input, typeof (input as { etag?: unknown } | null)?.etag === 'string'),
      ),

    cancelEvent: (input) =>
      runner.run(
        'cancelEvent',
        input,
        cancelEventSchema,
        async (request, { signal }) => {
          await runner.require('write', 'cancelEvent').cancelEvent(forward(request, signal) as CancelEventRequest);
        },
        on('write', input, true),
      ),

    sync: (input) =>
      runner.run(
        'sync',
        input,
        syncSchema,
        (request, { signal }) => runner.require('incrementalSync', 'sync').sync(forward(request, signal) as SyncRequest),
        on('incrementalSync', input, true),
      ),

    watch: (input) =>
      runner.run(
        'watch',
        input,
        watchSchema,
        (request, { signal }) => runner.require('push', 'watch').watch(forward(request, signal) as WatchRequest),
        on('push', input, false),
      ),

    unwatch: (channel, unwatchOptions) =>
      runner.run(
        'unwatch',
        { channel, options: unwatchOptions },
        unwatchSchema,
        async (_request, { signal }) => {
          // The channel goes to the provider as given: it may carry provider fields the schema does not know.
          await runner.require('push', 'unwatch').unwatch(channel, { signal });
        },
        { ...on('push', channel, true), signal: unwatchOptions?.signal },
      ),
  };
}
