import { CapabilityError, ValidationError, compact, paginate, parse, silentLogger, systemClock, withDeadline } from '@almanac/core';
import type { AlmanacError } from '@almanac/core';
import type { z } from 'zod';
import type {
  CalendarEvent,
  CalendarProvider,
  CancelEventRequest,
  ConferenceKind,
  CreateEventRequest,
  FreeBusyResult,
  GetEventRequest,
  SyncRequest,
  SyncResult,
  UpdateEventRequest,
  WatchChannel,
  WatchRequest,
} from '../spec';
import { toAlmanacError } from './errors';
import { mapBounded, mergeFreeBusy, planFreeBusy } from './free-busy';
import {
  calendarOptionsSchema,
  cancelEventSchema,
  channelSchema,
  createEventSchema,
  freeBusySchema,
  getEventSchema,
  listEventsSchema,
  syncSchema,
  unwatchOptionsSchema,
  updateEventSchema,
  watchSchema,
} from './schemas';
import type {
  Calendar,
  CalendarAuditEvent,
  CalendarCapability,
  CalendarOptions,
  CreateEventInput,
  EventListing,
  FreeBusyInput,
  ListEventsInput,
  UpdateEventInput,
} from './types';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_FREE_BUSY_CONCURRENCY = 4;

/**
 * Wraps a provider in the {@link Calendar} facade. Every call is validated (`ValidationError`
 * naming the field), checked against `capabilities` (`CapabilityError` before the provider is
 * touched), bounded by `timeoutMs` and the caller's signal (`TimeoutError`/`AbortedError`),
 * and fails only with `AlmanacError`s (anything else becomes `ProviderError`).
 */
export function createCalendar(provider: CalendarProvider, options: CalendarOptions = {}): Calendar {
  if (typeof provider !== 'object' || provider === null || typeof provider.name !== 'string') {
    throw new ValidationError(undefined, [{ path: 'provider', message: 'must be a CalendarProvider' }]);
  }
  parse(calendarOptionsSchema, options, { provider: provider.name, operation: 'createCalendar', path: 'options' });
  const name = provider.name;
  const capabilities = provider.capabilities;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const concurrency = options.freeBusyConcurrency ?? DEFAULT_FREE_BUSY_CONCURRENCY;

  const emit = (event: CalendarAuditEvent) => {
    if (options.onEvent === undefined) return;
    try {
      options.onEvent(event);
    } catch (error) {
      logger.warn('bookings onEvent listener threw; ignored', { provider: name, action: event.action, error });
    }
  };

  const supports = (capability: CalendarCapability): boolean => {
    switch (capability) {
      case 'meet':
      case 'teams':
        return capabilities.write && capabilities.conferencing.includes(capability);
      case 'write':
        return (
          capabilities.write &&
          typeof provider.createEvent === 'function' &&
          typeof provider.updateEvent === 'function' &&
          typeof provider.cancelEvent === 'function'
        );
      case 'incrementalSync':
        return capabilities.incrementalSync && typeof provider.sync === 'function';
      case 'push':
        return capabilities.push && typeof provider.watch === 'function' && typeof provider.unwatch === 'function';
      default:
        return capabilities[capability] === true;
    }
  };

  const ensure = (capability: CalendarCapability, operation: string) => {
    if (!supports(capability)) throw new CapabilityError(capability, { provider: name, operation });
  };

  const validate = <S extends z.core.$ZodType>(schema: S, input: unknown, operation: string, path?: string) =>
    parse(schema, input, { provider: name, operation, path });

  /** Audit, error mapping and deadline around one operation; `prepare` validates before the clock starts. */
  async function run<P, T>(
    operation: string,
    input: unknown,
    prepare: () => P,
    call: (prepared: P, signal: AbortSignal) => Promise<T>,
    signal: (prepared: P) => AbortSignal | undefined,
  ): Promise<T> {
    const started = clock.now();
    const calendarId = calendarIdOf(input);
    const audit = (outcome: 'ok' | 'error', error?: AlmanacError) =>
      emit({
        action: operation,
        provider: name,
        outcome,
        durationMs: clock.now() - started,
        ...(calendarId === undefined ? {} : { calendarId }),
        ...(error === undefined ? {} : { errorCode: error.code }),
      });
    try {
      const prepared = prepare();
      const result = await withDeadline(
        { clock, timeoutMs, signal: signal(prepared), provider: name, operation },
        (deadline) => call(prepared, deadline),
      );
      audit('ok');
      return result;
    } catch (error) {
      const mapped = toAlmanacError(error, name, operation);
      logger.debug('bookings operation failed', { provider: name, operation, code: mapped.code, message: mapped.message });
      audit('error', mapped);
      throw mapped;
    }
  }

  const signalOf = (prepared: { signal?: AbortSignal | undefined }) => prepared.signal;

  return {
    provider,
    name,
    capabilities,
    supports,

    freeBusy(input: FreeBusyInput): Promise<FreeBusyResult[]> {
      return run(
        'freeBusy',
        input,
        () => {
          ensure('freeBusy', 'freeBusy');
          return validate(freeBusySchema, input, 'freeBusy');
        },
        async (request, signal) => {
          const chunks = planFreeBusy(request.calendars, request.range, capabilities);
          const results = await mapBounded(chunks, concurrency, (chunk) =>
            provider.freeBusy(
              chunk.calendars === undefined ? { range: chunk.range, signal } : { calendars: chunk.calendars, range: chunk.range, signal },
            ),
          );
          return mergeFreeBusy(request.calendars, request.range, results);
        },
        signalOf,
      );
    },

    listEvents(input: ListEventsInput): EventListing {
      const start = () => {
        let request: z.output<typeof listEventsSchema>;
        try {
          ensure('events', 'listEvents');
          request = validate(listEventsSchema, input, 'listEvents');
        } catch (error) {
          const mapped = toAlmanacError(error, name, 'listEvents');
          emit({ action: 'listEvents', provider: name, outcome: 'error', durationMs: 0, ...auditCalendar(input), errorCode: mapped.code });
          throw mapped;
        }
        const { signal, ...rest } = request;
        return paginate<CalendarEvent, string>(
          ({ cursor }) =>
            run(
              'listEvents',
              input,
              () => rest,
              async (page, deadline) => {
                const result = await provider.listEventsPage(
                  compact({ ...page, cursor, signal: deadline }) as Parameters<CalendarProvider['listEventsPage']>[0],
                );
                return result.nextCursor === undefined
                  ? { items: [...result.items] }
                  : { items: [...result.items], nextCursor: result.nextCursor };
              },
              () => signal,
            ),
          { signal },
        );
      };
      return {
        async *[Symbol.asyncIterator]() {
          yield* start();
        },
        toArray: async (arrayOptions) => start().toArray(arrayOptions ?? {}),
      };
    },

    getEvent(input: GetEventRequest): Promise<CalendarEvent> {
      return run(
        'getEvent',
        input,
        () => {
          ensure('events', 'getEvent');
          return validate(getEventSchema, input, 'getEvent');
        },
        (request, signal) => provider.getEvent({ calendarId: request.calendarId, eventId: request.eventId, signal }),
        signalOf,
      );
    },

    createEvent(input: CreateEventInput): Promise<CalendarEvent> {
      return run(
        'createEvent',
        input,
        () => {
          ensure('write', 'createEvent');
          const request = validate(createEventSchema, input, 'createEvent');
          if (request.conference !== undefined) requireConference(request.conference);
          return request;
        },
        (request, signal) => {
          const { signal: _caller, ...fields } = request;
          const call = compact({ ...fields, signal }) as CreateEventRequest;
          return (provider.createEvent as NonNullable<CalendarProvider['createEvent']>)(call);
        },
        signalOf,
      );
    },

    updateEvent(input: UpdateEventInput): Promise<CalendarEvent> {
      return run(
        'updateEvent',
        input,
        () => {
          ensure('write', 'updateEvent');
          return validate(updateEventSchema, input, 'updateEvent');
        },
        (request, signal) => {
          const { signal: _caller, patch, ...fields } = request;
          const call = compact({ ...fields, patch: compact(patch), signal }) as UpdateEventRequest;
          return (provider.updateEvent as NonNullable<CalendarProvider['updateEvent']>)(call);
        },
        signalOf,
      );
    },

    cancelEvent(input: CancelEventRequest): Promise<void> {
      return run(
        'cancelEvent',
        input,
        () => {
          ensure('write', 'cancelEvent');
          return validate(cancelEventSchema, input, 'cancelEvent');
        },
        async (request, signal) => {
          const { signal: _caller, ...fields } = request;
          await (provider.cancelEvent as NonNullable<CalendarProvider['cancelEvent']>)(
            compact({ ...fields, signal }) as CancelEventRequest,
          );
        },
        signalOf,
      );
    },

    sync(input: SyncRequest): Promise<SyncResult> {
      return run(
        'sync',
        input,
        () => {
          ensure('incrementalSync', 'sync');
          return validate(syncSchema, input, 'sync');
        },
        (request, signal) => {
          const { signal: _caller, ...fields } = request;
          return (provider.sync as NonNullable<CalendarProvider['sync']>)(compact({ ...fields, signal }) as SyncRequest);
        },
        signalOf,
      );
    },

    watch(input: WatchRequest): Promise<WatchChannel> {
      return run(
        'watch',
        input,
        () => {
          ensure('push', 'watch');
          return validate(watchSchema, input, 'watch');
        },
        (request, signal) => {
          const { signal: _caller, ...fields } = request;
          return (provider.watch as NonNullable<CalendarProvider['watch']>)(compact({ ...fields, signal }) as WatchRequest);
        },
        signalOf,
      );
    },

    unwatch(channel: WatchChannel, unwatchOptions?: { signal?: AbortSignal }): Promise<void> {
      return run(
        'unwatch',
        channel,
        () => {
          ensure('push', 'unwatch');
          validate(channelSchema, channel, 'unwatch', 'channel');
          return validate(unwatchOptionsSchema, unwatchOptions, 'unwatch', 'options') ?? {};
        },
        async (_options, signal) => {
          await (provider.unwatch as NonNullable<CalendarProvider['unwatch']>)(channel, { signal });
        },
        signalOf,
      );
    },
  };

  function requireConference(kind: ConferenceKind) {
    if (!capabilities.conferencing.includes(kind)) {
      throw new CapabilityError(`conference links of kind "${kind}"`, { provider: name, operation: 'createEvent' });
    }
  }
}

function calendarIdOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const id = (input as { calendarId?: unknown }).calendarId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

function auditCalendar(input: unknown): { calendarId?: string } {
  const calendarId = calendarIdOf(input);
  return calendarId === undefined ? {} : { calendarId };
}
