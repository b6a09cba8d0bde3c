import * as z from '@almanac/core/schema';

// Input schemas of the Helix client's operations. Limits are Helix's, from
// https://dev.twitch.tv/docs/api/reference/; the messages never echo the input.

const nonEmpty = z.string().min(1, 'must be a non-empty string');
const ids = (max: number) => z.array(nonEmpty).max(max, `must list at most ${max}`);
const cursor = z.string().min(1, 'must be a non-empty cursor').optional();

/** `getUsers`: ids and logins, 100 in total. */
export const getUsersSchema = z
  .object({ ids: ids(100).optional(), logins: ids(100).optional() })
  .refine((q) => (q.ids?.length ?? 0) + (q.logins?.length ?? 0) <= 100, { path: ['ids'], message: 'ids and logins together must be at most 100' });

/** `getStreams`. */
export const getStreamsSchema = z.object({
  userIds: ids(100).optional(),
  userLogins: ids(100).optional(),
  gameIds: ids(100).optional(),
  first: z.number().int('must be an integer from 1 to 100').min(1, 'must be an integer from 1 to 100').max(100, 'must be an integer from 1 to 100').optional(),
  after: cursor,
});

/** `checkUserSubscription`. */
export const subscriptionCheckSchema = z.object({ broadcasterId: nonEmpty, userId: nonEmpty });

const callback = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an absolute https URL' });
    return;
  }
  // https://dev.twitch.tv/docs/eventsub/handling-webhook-events/: HTTPS on port 443 only.
  if (url.protocol !== 'https:' || (url.port !== '' && url.port !== '443')) ctx.addIssue({ code: 'custom', message: 'must be https on port 443 (Twitch requirement)' });
});

/** `createEventSubSubscription`; the secret is 10-100 characters (never echoed). */
export const createSubscriptionSchema = z.object({
  type: nonEmpty,
  version: nonEmpty,
  condition: z.record(z.string(), z.string()),
  callback,
  secret: z.string().min(10, 'must be 10-100 characters').max(100, 'must be 10-100 characters'),
});

/** `listEventSubSubscriptions`. */
export const listSubscriptionsSchema = z.object({ status: nonEmpty.optional(), type: nonEmpty.optional(), userId: nonEmpty.optional(), after: cursor });

/** `deleteEventSubSubscription`. */
export const subscriptionIdSchema = z.object({ id: nonEmpty });

const fulfillmentStatus = z.enum(['CLAIMED', 'FULFILLED'], 'must be CLAIMED or FULFILLED');

/** `getDropsEntitlements`. */
export const dropsFilterSchema = z.object({
  ids: ids(100).optional(),
  userId: nonEmpty.optional(),
  gameId: nonEmpty.optional(),
  fulfillmentStatus: fulfillmentStatus.optional(),
  first: z.number().int('must be an integer from 1 to 1000').min(1, 'must be an integer from 1 to 1000').max(1000, 'must be an integer from 1 to 1000').optional(),
  after: cursor,
});

/** `updateDropsEntitlements`: any number of ids (sent 100 per request). */
export const dropsUpdateSchema = z.object({ ids: z.array(nonEmpty, 'must be an array of non-empty strings'), status: fulfillmentStatus });
