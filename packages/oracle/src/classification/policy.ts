import type { Classification, FindingType } from './types';

/**
 * Classification policy.
 *
 * Precedence, most restrictive first: `confidential` > `financial` > `pii` > `internal` >
 * `public` > `unclassified`. The final label is the most restrictive one any evidence supports,
 * so evidence can only raise a label, never lower it: a `public` declaration on an object whose
 * content holds an SSN yields `pii`.
 *
 * Why this order: a leaked secret (private key, cloud key, bearer token) hands over access to
 * everything behind it, so it outranks any single record. Card numbers and bank accounts are
 * personal data with stricter handling rules on top (PCI DSS, payment fraud), so `financial`
 * outranks plain `pii`. IP addresses are reported but only make data `internal`: most addresses
 * in documents and logs are servers, not people. `public` is never inferred, only declared.
 * `unclassified` means nothing is known (no findings, no conventions, no declaration); a business
 * document type with nothing else known is `internal`.
 *
 * Confidence: each piece of evidence has a strength (`DETECTOR_STRENGTH` for content, fixed per
 * rule for keys and metadata); occurrences and agreeing sources combine by noisy-OR,
 * `1 − Π(1 − s)`, so more independent evidence means higher confidence but never 1.
 */
export const CLASSIFICATION_PRECEDENCE: readonly Classification[] = ['confidential', 'financial', 'pii', 'internal', 'public', 'unclassified'];

/** Detector order in results: secrets, then financial, then personal, then infrastructure. */
export const FINDING_TYPES: readonly FindingType[] = [
  'private_key',
  'aws_access_key_id',
  'aws_secret_access_key',
  'jwt',
  'credit_card',
  'iban',
  'us_ssn',
  'email',
  'phone',
  'ipv4',
  'ipv6',
];

/** Label each detector implies. */
export const DETECTOR_CLASSIFICATION: Readonly<Record<FindingType, Classification>> = {
  private_key: 'confidential',
  aws_access_key_id: 'confidential',
  aws_secret_access_key: 'confidential',
  jwt: 'confidential',
  credit_card: 'financial',
  iban: 'financial',
  us_ssn: 'pii',
  email: 'pii',
  phone: 'pii',
  ipv4: 'internal',
  ipv6: 'internal',
};

/**
 * Strength of one occurrence. Checksummed or structurally unique matches (PEM header, IBAN mod-97,
 * Luhn + issuer range, JWT with a JSON header) are strong; phone numbers and IPs share shapes with
 * other numbers even after validation, so one occurrence is weaker evidence. A tuning table of
 * the scorer, not a contract.
 *
 * @internal
 */
export const DETECTOR_STRENGTH: Readonly<Record<FindingType, number>> = {
  private_key: 0.99,
  aws_access_key_id: 0.95,
  aws_secret_access_key: 0.9,
  jwt: 0.9,
  credit_card: 0.9,
  iban: 0.95,
  us_ssn: 0.85,
  email: 0.9,
  phone: 0.7,
  ipv4: 0.6,
  ipv6: 0.7,
};

/** Rank of a label: 0 is the most restrictive. */
export function precedence(classification: Classification): number {
  return CLASSIFICATION_PRECEDENCE.indexOf(classification);
}

/** The more restrictive of two labels. */
export function stricter(a: Classification, b: Classification): Classification {
  return precedence(a) <= precedence(b) ? a : b;
}

/** Noisy-OR of independent strengths, rounded to 3 decimals and kept below 1. */
export function combineStrengths(strengths: Iterable<number>): number {
  let miss = 1;
  for (const s of strengths) miss *= 1 - s;
  return Math.min(0.999, Math.round((1 - miss) * 1000) / 1000);
}

/** Strength of `count` occurrences of one detector. */
export function findingStrength(type: FindingType, count: number): number {
  return combineStrengths([1 - (1 - DETECTOR_STRENGTH[type]) ** count]);
}
