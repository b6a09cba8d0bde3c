import { parse } from '@almanac/core';
import type { PostureFinding } from '../spec';
import { checkPostureOptionsSchema } from './options';
import type { IntelligenceStorage } from './types';

/** Options of {@link checkPosture}. */
export interface CheckPostureOptions {
  /** Aborts the provider's posture calls. */
  readonly signal?: AbortSignal | undefined;
}

/** Rule id of the finding returned when a provider has no posture checks. */
export const POSTURE_UNAVAILABLE_RULE = 'posture.unavailable';

/**
 * Bucket-level security posture (public access, encryption, versioning, logging…) from the
 * provider. Providers without posture checks get one `info` finding with `passed: false`: nothing
 * was verified, and reporting a pass would claim otherwise.
 *
 * @throws `ValidationError` for bad options; the provider's errors otherwise.
 */
export async function checkPosture(storage: IntelligenceStorage, options: CheckPostureOptions = {}): Promise<PostureFinding[]> {
  parse(checkPostureOptionsSchema, options, { operation: 'checkPosture', path: 'options' });
  if (!storage.supports('posture')) {
    return [
      {
        rule: POSTURE_UNAVAILABLE_RULE,
        severity: 'info',
        passed: false,
        message: `Posture checks are unavailable for provider "${storage.name}"; review bucket access and encryption settings by hand.`,
      },
    ];
  }
  return storage.posture(options.signal === undefined ? {} : { signal: options.signal });
}
