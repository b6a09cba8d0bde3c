import { compact, paginate } from '@almanac/core';
import type { CalendarEvent, ListEventsRequest } from '../spec';
import { calendarAttributes } from './audit';
import type { CalendarRunner } from './capabilities';
import { listEventsSchema } from './schemas';
import type { EventListing, ListEventsInput } from './types';

/**
 * `Calendar.listEvents`: nothing happens until the listing is iterated. Then the capability and
 * the input are checked once (a failure is audited as one failed `listEvents`), and every page
 * is its own operation with its own deadline and audit event.
 */
export function listEvents(runner: CalendarRunner, input: ListEventsInput): EventListing {
  const attributes = calendarAttributes(input);
  const start = () => {
    const { signal, ...request } = runner.prepare('listEvents', input, listEventsSchema, undefined, { capability: 'events', attributes });
    return paginate<CalendarEvent, string>(
      ({ cursor }) =>
        runner.run(
          'listEvents',
          request,
          undefined,
          async (page, context) => {
            const call = compact({ ...page, cursor, signal: context.signal }) as ListEventsRequest;
            const result = await runner.provider.listEventsPage(call);
            return result.nextCursor === undefined
              ? { items: [...result.items] }
              : { items: [...result.items], nextCursor: result.nextCursor };
          },
          { signal, idempotent: true, attributes },
        ),
      { signal },
    );
  };
  return {
    async *[Symbol.asyncIterator]() {
      yield* start();
    },
    toArray: async (options) => start().toArray(options ?? {}),
  };
}
