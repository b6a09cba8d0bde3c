import * as z from '@almanac/core/schema';

// Validation of the Segment spec shapes. Limits are Segment's own: a message over 32 KB is
// refused by the HTTP API (https://www.twilio.com/docs/segment/connections/sources/catalog/libraries/server/http-api),
// so the collector refuses it up front instead of storing something that can never be delivered.

const json: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number().refine(Number.isFinite, 'must be finite'), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);
const jsonObject = z.record(z.string(), json);
const id = z.string().min(1, 'must not be empty').max(512, 'must be at most 512 characters');
const timestamp = z.union([z.date(), z.iso.datetime({ offset: true })]).optional();

const common = {
  messageId: id.optional(),
  timestamp,
  userId: id.optional(),
  anonymousId: id.optional(),
  context: jsonObject.optional(),
  integrations: z.record(z.string(), z.union([z.boolean(), jsonObject])).optional(),
};

const identified = (value: { userId?: string | undefined; anonymousId?: string | undefined }) =>
  value.userId !== undefined || value.anonymousId !== undefined;
const identifiedMessage = { message: 'needs userId or anonymousId', path: ['userId'] };

/** Input schemas per call, strict so a misspelt field is an error instead of silently dropped. */
export const callSchemas = {
  identify: z.strictObject({ ...common, traits: jsonObject.optional() }).refine(identified, identifiedMessage),
  track: z
    .strictObject({ ...common, event: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'), properties: jsonObject.optional() })
    .refine(identified, identifiedMessage),
  page: z
    .strictObject({ ...common, name: z.string().max(256).optional(), category: z.string().max(256).optional(), properties: jsonObject.optional() })
    .refine(identified, identifiedMessage),
  group: z.strictObject({ ...common, groupId: id, traits: jsonObject.optional() }).refine(identified, identifiedMessage),
  alias: z.strictObject({ ...common, userId: id, previousId: id }),
} as const;

/** A stored message, as read back from an outbox (loose: fields added by later versions are kept). */
export const storedMessageSchema = z.looseObject({
  type: z.enum(['identify', 'track', 'page', 'group', 'alias']),
  messageId: id,
  timestamp: z.string(),
});
