import * as z from '@almanac/core/schema';

/** Validation of `SyncWindowSettings` options. */
export const syncWindowSchema = z.object({
  pastDays: z.number().int().min(0).max(3650).optional(),
  futureDays: z.number().int().min(1).max(3650).optional(),
  rebaselineDays: z.number().int().min(1).max(3650).optional(),
});
