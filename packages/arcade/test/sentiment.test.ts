// VADER against the 14 reference scores of the original demo (datasets/sentiment/, from
// npm vader-sentiment@1.1.3's tests), and the per-channel, per-day aggregation.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createSentimentAnalyzer, parseVaderLexicon } from '../src';
import { VADER_LEXICON_TEXT } from '../src/sentiment/vader-lexicon';

const datasets = new URL('../../../datasets/sentiment/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('vader_reference_scores.json', datasets), 'utf8')) as {
  cases: Array<{ text: string; neg: number; neu: number; pos: number; compound: number }>;
};

describe('VADER sentiment', () => {
  const analyzer = createSentimentAnalyzer({ lexicon: VADER_LEXICON_TEXT });

  it.each(reference.cases)('matches the reference for "$text"', (c) => {
    const got = analyzer.score(c.text);
    expect(got.neg).toBeCloseTo(c.neg, 3);
    expect(got.neu).toBeCloseTo(c.neu, 3);
    expect(got.pos).toBeCloseTo(c.pos, 3);
    expect(got.compound).toBeCloseTo(c.compound, 3);
  });

  it('ships the vendored lexicon unchanged (token and mean of every entry)', () => {
    const full = gunzipSync(readFileSync(new URL('vader_lexicon.txt.gz', datasets))).toString('utf8');
    const vendored = parseVaderLexicon(full);
    const shipped = parseVaderLexicon(VADER_LEXICON_TEXT);
    // 7,517 lines; a few tokens are listed twice, and the later entry wins in both.
    expect(VADER_LEXICON_TEXT.split('\n')).toHaveLength(7517);
    expect(shipped.size).toBeGreaterThan(7_400);
    expect([...shipped]).toEqual([...vendored]);
  });

  it('scores empty and neutral text as neutral', () => {
    expect(analyzer.score('')).toEqual({ neg: 0, neu: 0, pos: 0, compound: 0 });
    expect(analyzer.score('the match starts at nine').compound).toBe(0);
  });

  it('refuses a malformed lexicon, naming the line', () => {
    expect(() => parseVaderLexicon('good\t1.9\nbad')).toThrow(/line2/);
  });
});
