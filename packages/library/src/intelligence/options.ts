import type { StoragePriceTable } from '@almanac/oracle';
import * as z from '@almanac/core/schema';
import type { AccessStats } from './types';

/** Default bytes sampled per object: enough for headers, a config file or the first records. */
export const DEFAULT_SAMPLE_BYTES = 64 * 1024;
/** Default objects in flight: enough to hide request latency without flooding a provider. */
export const DEFAULT_SCAN_CONCURRENCY = 8;

const signal = z.instanceof(AbortSignal, { message: 'must be an AbortSignal' }).optional();

/** Schema of `ScanOptions`; the price table itself is validated by oracle. */
export const scanOptionsSchema = z.object({
  prefix: z.string().optional(),
  sampleBytes: z
    .number()
    .int()
    .min(1)
    .max(16 * 1024 * 1024)
    .optional(),
  concurrency: z.number().int().min(1).max(256).optional(),
  cloud: z.enum(['aws', 'gcp', 'azure']).optional(),
  prices: z.custom<StoragePriceTable>((v) => typeof v === 'object' && v !== null, { message: 'must be a price table' }).optional(),
  now: z.date({ message: 'must be a valid Date (the scan has no clock of its own)' }),
  accessStats: z.custom<(key: string) => AccessStats | undefined>((v) => typeof v === 'function', { message: 'must be a function' }).optional(),
  standard: z.enum(['gdpr', 'hipaa', 'pci']).optional(),
  publicAccess: z.boolean().optional(),
  region: z.string().optional(),
  signal,
});

/** Schema of `ApplyTieringOptions`. */
export const applyTieringOptionsSchema = z.object({
  dryRun: z.boolean().optional(),
  minMonthlySavings: z.number().min(0).optional(),
  signal,
});

/** Schema of `CheckPostureOptions`. */
export const checkPostureOptionsSchema = z.object({ signal });
