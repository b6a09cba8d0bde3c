import * as z from '@almanac/core/schema';
import { checkKey, checkPrefix } from './keys';
import type { KeyCheck } from './keys';
import {
  bodySchema,
  callOptionsSchema,
  enabledSchema,
  listOptionsObject,
  listVersionsOptionsObject,
  readOptionsSchema,
  restoreOptionsSchema,
  signedUrlOptionsSchema,
  storageClassSchema,
  tagsSchema,
  writeOptionsSchema,
} from './schemas';

// Every facade call is validated as one object (`{ key, body, options }`, …), so each issue is
// named by its argument (`key`, `keys.3`, `options.range.end`) and every bad field is reported
// at once. Key rules depend on the provider's `maxKeyBytes`, so these are built per facade.

function checked(check: (value: unknown, maxKeyBytes: number) => KeyCheck, maxKeyBytes: number) {
  // `.optional()` so an absent field reaches the check too (zod 4 would otherwise report a
  // missing key as "expected nonoptional" instead of our message).
  return z.unknown().optional().transform((value, context): string => {
    const result = check(value, maxKeyBytes);
    if (result.ok) return result.value;
    context.addIssue({ code: 'custom', message: result.message, input: value });
    return z.NEVER;
  });
}

/** The input schemas of one facade; see {@link createInputSchemas}. */
export type InputSchemas = ReturnType<typeof createInputSchemas>;

/** Builds the input schema of every facade operation for a provider's longest key. */
export function createInputSchemas(maxKeyBytes: number) {
  const key = checked(checkKey, maxKeyBytes);
  const prefix = checked(checkPrefix, maxKeyBytes);
  const options = callOptionsSchema;
  return {
    /** `(key, options)`: stat, exists, delete, getTags. */
    key: z.object({ key, options }),
    /** `(key, options)` of the reads. */
    read: z.object({ key, options: readOptionsSchema }),
    /** `(key, body, options)` of write. */
    write: z.object({ key, body: bodySchema, options: writeOptionsSchema }),
    /** `(keys, options)` of deleteMany. */
    keys: z.object({ keys: z.array(key, { error: 'must be an array of keys' }), options }),
    /** `(from, to, options)` of copy and move. */
    transfer: z.object({ from: key, to: key, options }),
    /** `(key, options)` of restore. */
    restore: z.object({ key, options: restoreOptionsSchema }),
    /** `(key, options)` of signedUrl. */
    signedUrl: z.object({ key, options: signedUrlOptionsSchema }),
    /** `(key, storageClass, options)` of setStorageClass. */
    storageClass: z.object({ key, storageClass: storageClassSchema, options }),
    /** `(key, tags, options)` of setTags. */
    tags: z.object({ key, tags: tagsSchema, options }),
    /** `(enabled, options)` of setVersioning. */
    enabled: z.object({ enabled: enabledSchema, options }),
    /** `(options)` of the bucket-level calls. */
    call: z.object({ options }),
    /** `(options)` of list. */
    list: z.object({ options: listOptionsObject.extend({ prefix }).optional() }),
    /** `(options)` of listVersions. */
    listVersions: z.object({ options: listVersionsOptionsObject.extend({ prefix }).optional() }),
  };
}
