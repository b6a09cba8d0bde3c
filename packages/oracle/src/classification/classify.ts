import { OracleTypeError } from '../errors';
import { object } from '../validate';
import { type ConventionEvidence, contentTypeEvidence, keyEvidence, metadataEvidence } from './conventions';
import { combineStrengths, findingStrength, precedence, stricter } from './policy';
import { scanContent } from './scan';
import { FindingSink } from './sink';
import type {
  Classification,
  ClassificationResult,
  ClassificationSource,
  ClassifyContentOptions,
  ContentFinding,
  EvidenceSource,
  ObjectDescriptor,
  ObjectMetadata,
} from './types';
import { maxSamples, metadata, nonEmptyString, optionalString } from './validate-input';

/** Confidence of `unclassified` after a clean scan: no findings is weak evidence, detectors can miss. */
const CLEAN_SCAN_CONFIDENCE = 0.5;

interface Evidence extends ConventionEvidence {
  readonly source: EvidenceSource;
}

interface Inputs {
  readonly text: string | undefined;
  readonly key: string | undefined;
  readonly contentType: string | undefined;
  readonly metadata: ObjectMetadata | undefined;
  readonly maxSamples: number;
}

/** Gathers all evidence and applies the policy in `policy.ts`. */
function classify(inputs: Inputs): ClassificationResult {
  let findings: ContentFinding[] = [];
  const evidence: Evidence[] = [];
  const scanned = inputs.text !== undefined && inputs.text.length > 0;
  if (scanned) {
    const sink = new FindingSink(inputs.maxSamples);
    scanContent(inputs.text!, sink);
    findings = sink.findings();
    for (const f of findings) {
      evidence.push({
        source: 'content',
        classification: f.classification,
        confidence: findingStrength(f.type, f.count),
        reason: `${f.count} ${f.type} match${f.count === 1 ? '' : 'es'} in content`,
        fallback: false,
      });
    }
  }
  if (inputs.key !== undefined) for (const e of keyEvidence(inputs.key)) evidence.push({ ...e, source: 'key' });
  if (inputs.metadata !== undefined) for (const e of metadataEvidence(inputs.metadata)) evidence.push({ ...e, source: 'metadata' });
  if (inputs.contentType !== undefined) for (const e of contentTypeEvidence(inputs.contentType)) evidence.push({ ...e, source: 'content_type' });

  // Defaults (office document → internal) count only when nothing else is known.
  const firm = evidence.filter((e) => !e.fallback);
  const considered = firm.length > 0 ? firm : evidence;
  let classification: Classification = 'unclassified';
  for (const e of considered) classification = classification === 'unclassified' ? e.classification : stricter(classification, e.classification);

  const sources: ClassificationSource[] = evidence.map((e) => ({
    source: e.source,
    classification: e.classification,
    confidence: e.confidence,
    reason: e.fallback && considered !== evidence ? `${e.reason} (default, overridden)` : e.reason,
    decisive: considered.includes(e) && e.classification === classification,
  }));
  let confidence: number;
  if (classification === 'unclassified') {
    confidence = scanned ? CLEAN_SCAN_CONFIDENCE : 0;
    if (scanned) sources.push({ source: 'content', classification, confidence, reason: 'content scanned, nothing found', decisive: true });
  } else {
    confidence = combineStrengths(sources.filter((s) => s.decisive).map((s) => s.confidence));
  }
  sources.sort(
    (a, b) => Number(b.decisive) - Number(a.decisive) || precedence(a.classification) - precedence(b.classification) || b.confidence - a.confidence,
  );
  const categories = [...new Set([classification, ...considered.map((e) => e.classification)])].sort((a, b) => precedence(a) - precedence(b));
  return { classification, confidence, findings, categories, sources };
}

/**
 * Classifies text by scanning it with validating detectors (Luhn, mod-97, SSA and numbering-plan
 * rules, JWT header decode), combined with the optional key, content type and declared metadata.
 * Findings carry masked samples only. The label is the most restrictive any evidence supports:
 * see `CLASSIFICATION_PRECEDENCE` for the policy. Linear in the text length, single pass.
 *
 * @throws {@link OracleTypeError} when `text` is not a string or an option has the wrong type.
 */
export function classifyContent(text: string, options: ClassifyContentOptions = {}): ClassificationResult {
  if (typeof text !== 'string') throw new OracleTypeError('text', `expected a string, got ${text === null ? 'null' : typeof text}`);
  const o = object('options', options);
  return classify({
    text,
    key: optionalString('options.key', o['key']),
    contentType: optionalString('options.contentType', o['contentType']),
    metadata: metadata('options.metadata', o['metadata']),
    maxSamples: maxSamples('options.maxSamples', o['maxSamples']),
  });
}

/**
 * Classifies a stored object from its key conventions (`*.pem`, `id_rsa`, `.env`, `backups/*.sql`,
 * `invoices/`, `hr/`), declared metadata (`x-amz-meta-classification`, `sensitivity`, tags) and,
 * when given, a content sample. `sources` lists every piece of evidence and marks the decisive ones.
 *
 * @throws {@link OracleTypeError} or `OracleRangeError` naming the bad field.
 */
export function classifyObject(input: ObjectDescriptor): ClassificationResult {
  const o = object('input', input);
  return classify({
    key: nonEmptyString('key', o['key']),
    text: optionalString('contentSample', o['contentSample']),
    contentType: optionalString('contentType', o['contentType']),
    metadata: metadata('metadata', o['metadata']),
    maxSamples: maxSamples('maxSamples', o['maxSamples']),
  });
}
