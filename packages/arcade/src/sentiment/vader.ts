import { ValidationError } from '@almanac/core';

// VADER (Hutto & Gilbert, ICWSM 2014) as ported by npm vader-sentiment@1.1.3, whose demo
// output the reference scores in datasets/sentiment/ come from. The port's quirks are kept on
// purpose, because they decide the published numbers: single-character tokens are dropped,
// a repeated word takes the context of its first occurrence, and only `but`/`BUT` (not `But`)
// triggers the contrastive rule.

const B_INCR = 0.293;
const B_DECR = -0.293;
const C_INCR = 0.733;
const N_SCALAR = -0.74;

const NEGATE = new Set([
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt', "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
  'dont', 'hadnt', 'hasnt', 'havent', 'isnt', 'mightnt', 'mustnt', 'neither', "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
  'neednt', "needn't", 'never', 'none', 'nope', 'nor', 'not', 'nothing', 'nowhere', 'oughtnt', 'shant', 'shouldnt', 'uhuh', 'wasnt', 'werent',
  "oughtn't", "shan't", "shouldn't", 'uh-uh', "wasn't", "weren't", 'without', 'wont', 'wouldnt', "won't", "wouldn't", 'rarely', 'seldom', 'despite',
]);

const INCREASERS = [
  'absolutely', 'amazingly', 'awfully', 'completely', 'considerably', 'decidedly', 'deeply', 'effing', 'enormously', 'entirely', 'especially',
  'exceptionally', 'extremely', 'fabulously', 'flipping', 'flippin', 'fricking', 'frickin', 'frigging', 'friggin', 'fully', 'fucking', 'greatly',
  'hella', 'highly', 'hugely', 'incredibly', 'intensely', 'majorly', 'more', 'most', 'particularly', 'purely', 'quite', 'really', 'remarkably', 'so',
  'substantially', 'thoroughly', 'totally', 'tremendously', 'uber', 'unbelievably', 'unusually', 'utterly', 'very',
];
const DECREASERS = [
  'almost', 'barely', 'hardly', 'just enough', 'kind of', 'kinda', 'kindof', 'kind-of', 'less', 'little', 'marginally', 'occasionally', 'partly',
  'scarcely', 'slightly', 'somewhat', 'sort of', 'sorta', 'sortof', 'sort-of',
];
const BOOSTERS = new Map<string, number>([...INCREASERS.map((w) => [w, B_INCR] as const), ...DECREASERS.map((w) => [w, B_DECR] as const)]);

const IDIOMS = new Map<string, number>([
  ['the shit', 3],
  ['the bomb', 3],
  ['bad ass', 1.5],
  ['yeah right', -2],
  ['cut the mustard', 2],
  ['kiss of death', -1.5],
  ['hand to mouth', -2],
]);

const PUNCTUATION = [
  '.', '!', '?', ',', ';', ':', '-', "'", '"', '!!', '!!!', '??', '???', '?!?', '!?!', '?!?!', '!?!?',
];
// Python's string.punctuation.
const PUNCTUATION_CHARS = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** VADER scores of one text: shares of negative, neutral and positive, and the normalised compound in [-1, 1]. */
export interface SentimentScores {
  /** Share of negative valence, rounded to 3 decimals. */
  readonly neg: number;
  /** Share of neutral tokens, rounded to 3 decimals. */
  readonly neu: number;
  /** Share of positive valence, rounded to 3 decimals. */
  readonly pos: number;
  /** Normalised sum of valences in [-1, 1], rounded to 4 decimals. ≥ 0.05 is usually read as positive, ≤ -0.05 as negative. */
  readonly compound: number;
}

/** Options of {@link createSentimentAnalyzer}. */
export interface SentimentAnalyzerOptions {
  /**
   * The lexicon: `token<TAB>mean valence[<TAB>...]` lines (the VADER file format, e.g.
   * `VADER_LEXICON_TEXT` from `@almanac/arcade/vader-lexicon`) or a map of token to valence.
   */
  lexicon: string | ReadonlyMap<string, number>;
}

/** A sentiment scorer; see {@link createSentimentAnalyzer}. */
export interface SentimentAnalyzer {
  /** Scores one text. */
  score(text: string): SentimentScores;
}

/** Parses VADER's lexicon format into a map (lines that are not `token<TAB>number` are refused, naming the line). */
export function parseVaderLexicon(text: string): Map<string, number> {
  const map = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    if (line.trim() === '') continue;
    const [token, mean] = line.split('\t');
    const value = Number(mean);
    if (!token || mean === undefined || mean.trim() === '' || !Number.isFinite(value)) {
      throw new ValidationError(undefined, [{ path: `lexicon.line${n + 1}`, message: 'must be token<TAB>mean valence' }]);
    }
    map.set(token, value);
  }
  return map;
}

const isUpper = (word: string): boolean => word.toLowerCase() !== word.toUpperCase() && word === word.toUpperCase();

function tokens(text: string): string[] {
  const wordsOnly = new Set(text.replace(PUNCTUATION_CHARS, '').split(/\s+/).filter((w) => w.length > 1));
  return text
    .split(/\s+/)
    .filter((w) => w.length > 1)
    .map((w) => {
      // A word with one leading or trailing punctuation mark maps to the bare word.
      for (const p of PUNCTUATION) {
        if (w.startsWith(p) && wordsOnly.has(w.slice(p.length))) return w.slice(p.length);
        if (w.endsWith(p) && wordsOnly.has(w.slice(0, w.length - p.length))) return w.slice(0, w.length - p.length);
      }
      return w;
    });
}

function negated(word: string): boolean {
  return NEGATE.has(word) || word.includes("n't");
}

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * Creates a VADER-style sentiment analyzer: lexicon valences adjusted for negation (within
 * three tokens), boosters and dampeners, ALL-CAPS emphasis, `but`, `least`, idioms, and
 * `!`/`?` emphasis. Reproduces the 14 reference scores of the original demo to 3 decimals.
 */
export function createSentimentAnalyzer(options: SentimentAnalyzerOptions): SentimentAnalyzer {
  const lexicon = typeof options?.lexicon === 'string' ? parseVaderLexicon(options.lexicon) : options?.lexicon;
  if (!(lexicon instanceof Map)) throw new ValidationError(undefined, [{ path: 'lexicon', message: 'must be lexicon text or a Map' }]);
  const inLexicon = (word: string) => lexicon.has(word.toLowerCase());

  const scalar = (word: string, valence: number, capDiff: boolean): number => {
    const lower = word.toLowerCase();
    let s = BOOSTERS.get(lower) ?? 0;
    if (s === 0) return 0;
    if (valence < 0) s *= -1;
    if (isUpper(word) && capDiff) s += valence > 0 ? C_INCR : -C_INCR;
    return s;
  };

  const neverCheck = (valence: number, words: string[], startI: number, i: number): number => {
    const w = (k: number) => words[k] as string;
    if (startI === 0 && negated(w(i - 1))) return valence * N_SCALAR;
    if (startI === 1) {
      if (w(i - 2) === 'never' && (w(i - 1) === 'so' || w(i - 1) === 'this')) return valence * 1.5;
      if (negated(w(i - 2))) return valence * N_SCALAR;
    }
    if (startI === 2) {
      if ((w(i - 3) === 'never' && (w(i - 2) === 'so' || w(i - 2) === 'this')) || w(i - 1) === 'so' || w(i - 1) === 'this') return valence * 1.25;
      if (negated(w(i - 3))) return valence * N_SCALAR;
    }
    return valence;
  };

  const idiomsCheck = (valence: number, words: string[], i: number): number => {
    const w = (k: number) => words[k] as string;
    const twoOne = `${w(i - 2)} ${w(i - 1)}`;
    const threeTwo = `${w(i - 3)} ${w(i - 2)}`;
    for (const seq of [`${w(i - 1)} ${w(i)}`, `${w(i - 2)} ${w(i - 1)} ${w(i)}`, twoOne, `${w(i - 3)} ${w(i - 2)} ${w(i - 1)}`, threeTwo]) {
      const idiom = IDIOMS.get(seq);
      if (idiom !== undefined) {
        valence = idiom;
        break;
      }
    }
    if (words.length - 1 > i) valence = IDIOMS.get(`${w(i)} ${w(i + 1)}`) ?? valence;
    if (words.length - 1 > i + 1) valence = IDIOMS.get(`${w(i)} ${w(i + 1)} ${w(i + 2)}`) ?? valence;
    if (BOOSTERS.has(threeTwo) || BOOSTERS.has(twoOne)) valence += B_DECR;
    return valence;
  };

  const leastCheck = (valence: number, words: string[], i: number): number => {
    const prev = (words[i - 1] ?? '').toLowerCase();
    if (i > 1 && !lexicon.has(prev) && prev === 'least') {
      const before = (words[i - 2] as string).toLowerCase();
      if (before !== 'at' && before !== 'very') return valence * N_SCALAR;
    } else if (i > 0 && !lexicon.has(prev) && prev === 'least') {
      return valence * N_SCALAR;
    }
    return valence;
  };

  const valenceOf = (item: string, i: number, words: string[], capDiff: boolean): number => {
    const base = lexicon.get(item.toLowerCase());
    if (base === undefined) return 0;
    let valence = base;
    if (isUpper(item) && capDiff) valence += valence > 0 ? C_INCR : -C_INCR;
    for (let startI = 0; startI < 3; startI++) {
      const prior = words[i - (startI + 1)];
      if (i > startI && prior !== undefined && !inLexicon(prior)) {
        let s = scalar(prior, valence, capDiff);
        if (startI === 1 && s !== 0) s *= 0.95;
        if (startI === 2 && s !== 0) s *= 0.9;
        valence += s;
        valence = neverCheck(valence, words, startI, i);
        if (startI === 2) valence = idiomsCheck(valence, words, i);
      }
    }
    return leastCheck(valence, words, i);
  };

  return {
    score(text) {
      if (typeof text !== 'string') throw new ValidationError(undefined, [{ path: 'text', message: 'must be a string' }]);
      const words = tokens(text);
      const allCaps = words.filter(isUpper).length;
      const capDiff = allCaps > 0 && allCaps < words.length;
      let sentiments: number[] = [];
      for (const item of words) {
        const i = words.indexOf(item);
        const lower = item.toLowerCase();
        if ((i < words.length - 1 && lower === 'kind' && (words[i + 1] as string).toLowerCase() === 'of') || BOOSTERS.has(lower)) {
          sentiments.push(0);
          continue;
        }
        sentiments.push(valenceOf(item, i, words, capDiff));
      }
      sentiments = butCheck(words, sentiments);
      return scoreValence(sentiments, text);
    },
  };
}

function butCheck(words: string[], sentiments: number[]): number[] {
  let bi = words.indexOf('but');
  if (bi < 0) bi = words.indexOf('BUT');
  if (bi < 0) return sentiments;
  for (let k = 0; k < sentiments.length; k++) {
    const sentiment = sentiments[k] as number;
    const si = sentiments.indexOf(sentiment);
    if (si < bi) sentiments[si] = sentiment * 0.5;
    else if (si > bi) sentiments[si] = sentiment * 1.5;
  }
  return sentiments;
}

function scoreValence(sentiments: number[], text: string): SentimentScores {
  if (sentiments.length === 0) return { neg: 0, neu: 0, pos: 0, compound: 0 };
  let sum = sentiments.reduce((a, b) => a + b, 0);
  const exclamations = Math.min(4, (text.match(/!/g) ?? []).length);
  const questions = (text.match(/\?/g) ?? []).length;
  const amplifier = exclamations * 0.292 + (questions > 1 ? (questions <= 3 ? questions * 0.18 : 0.96) : 0);
  if (sum > 0) sum += amplifier;
  else if (sum < 0) sum -= amplifier;
  const compound = Math.max(-1, Math.min(1, sum / Math.sqrt(sum * sum + 15)));
  let posSum = 0;
  let negSum = 0;
  let neutral = 0;
  for (const s of sentiments) {
    if (s > 0) posSum += s + 1;
    if (s < 0) negSum += s - 1;
    if (s === 0) neutral += 1;
  }
  if (posSum > Math.abs(negSum)) posSum += amplifier;
  else if (posSum < Math.abs(negSum)) negSum -= amplifier;
  const total = posSum + Math.abs(negSum) + neutral;
  return {
    neg: round(Math.abs(negSum / total), 3),
    neu: round(Math.abs(neutral / total), 3),
    pos: round(Math.abs(posSum / total), 3),
    compound: round(compound, 4),
  };
}
