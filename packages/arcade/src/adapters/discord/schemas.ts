import * as z from '@almanac/core/schema';

// Input schemas of the Discord client's operations; limits from
// https://discord.com/developers/docs/resources/ and the messages never echo the input.
// Message bodies are checked by validateDiscordMessage (embeds limits), inside the operation.

/** A Discord id: a snowflake of 15-21 digits (also keeps ids from injecting path segments). */
export const snowflake = z.string().regex(/^\d{15,21}$/, 'must be a Discord snowflake id');
const nonEmpty = z.string().min(1, 'must be a non-empty string');
const message = z.record(z.string(), z.unknown(), 'must be a message object');

/** Role add/remove; the audit-log reason is at most 512 characters (code points). */
export const memberRoleSchema = z.object({
  guildId: snowflake,
  userId: snowflake,
  roleId: snowflake,
  reason: z
    .string()
    .refine((reason) => [...reason].length <= 512, 'must be at most 512 characters')
    .optional(),
});

/** `createMessage`. */
export const createMessageSchema = z.object({ channelId: snowflake, message });

/** `executeWebhook`. */
export const executeWebhookSchema = z.object({
  webhookId: snowflake,
  webhookToken: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a webhook token'),
  message,
  threadId: snowflake.optional(),
});

/** Follow-ups and edits of an interaction's response (token from the interaction). */
export const interactionMessageSchema = z.object({
  applicationId: snowflake,
  interactionToken: z.string().regex(/^[A-Za-z0-9._-]{1,500}$/, 'must be an interaction token'),
  message,
});

const METADATA_KEY = /^[a-z0-9_]{1,50}$/;

/** `setRoleConnectionMetadata`: at most 5 records. */
export const roleConnectionMetadataSchema = z.object({
  applicationId: snowflake,
  records: z
    .array(
      z.object({
        type: z.number().int('must be 1-8').min(1, 'must be 1-8').max(8, 'must be 1-8'),
        key: z.string().regex(METADATA_KEY, 'must be 1-50 of a-z, 0-9, _'),
        name: z.string().min(1, 'must be 1-100 characters').max(100, 'must be 1-100 characters'),
        description: z.string().min(1, 'must be 1-200 characters').max(200, 'must be 1-200 characters'),
        name_localizations: z.record(z.string(), z.string()).optional(),
        description_localizations: z.record(z.string(), z.string()).optional(),
      }),
      'must be an array of records',
    )
    .max(5, 'at most 5 records'),
});

const codePoints = (max: number) => z.string().refine((value) => [...value].length <= max, `at most ${max} characters`);

/** `updateUserRoleConnection`: values become strings of at most 100 characters (booleans `0`/`1`). */
export const userRoleConnectionSchema = z.object({
  applicationId: snowflake,
  userAccessToken: nonEmpty,
  connection: z.object({
    platform_name: codePoints(50).optional(),
    platform_username: codePoints(100).optional(),
    metadata: z
      .record(z.string().regex(METADATA_KEY, 'key must be 1-50 of a-z, 0-9, _'), z.union([z.string(), z.number(), z.boolean()]))
      .transform((metadata, ctx) => {
        const out: Record<string, string> = {};
        for (const [key, value] of Object.entries(metadata)) {
          const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
          if (text.length > 100) ctx.addIssue({ code: 'custom', path: [key], message: 'value must be at most 100 characters' });
          out[key] = text;
        }
        return out;
      })
      .optional(),
  }),
});
