import type { ContentFinding, FindingType } from './types';
import { DETECTOR_CLASSIFICATION, FINDING_TYPES } from './policy';

/** Turns a raw match into its masked sample. */
export type Masker = (raw: string) => string;

interface Tally {
  count: number;
  readonly samples: string[];
}

/**
 * Collects detector matches. Raw text is sliced only while a type still wants samples and is
 * masked immediately, so no raw value is retained past the call that found it.
 */
export class FindingSink {
  private readonly tallies = new Map<FindingType, Tally>();

  /** Creates a sink keeping at most `maxSamples` distinct masked samples per type. */
  constructor(private readonly maxSamples: number) {}

  /** Records one match of `type` at `text[start, end)`. */
  add(type: FindingType, text: string, start: number, end: number, mask: Masker): void {
    let tally = this.tallies.get(type);
    if (tally === undefined) {
      tally = { count: 0, samples: [] };
      this.tallies.set(type, tally);
    }
    tally.count++;
    if (tally.samples.length < this.maxSamples) {
      const masked = mask(text.slice(start, end));
      if (!tally.samples.includes(masked)) tally.samples.push(masked);
    }
  }

  /** Findings in the fixed detector order, so results are deterministic. */
  findings(): ContentFinding[] {
    const out: ContentFinding[] = [];
    for (const type of FINDING_TYPES) {
      const tally = this.tallies.get(type);
      if (tally !== undefined) out.push({ type, classification: DETECTOR_CLASSIFICATION[type], count: tally.count, samples: tally.samples });
    }
    return out;
  }
}
