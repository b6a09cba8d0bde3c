/**
 * The VADER sentiment lexicon (7,517 tokens with their mean valence), Apache-2.0: see
 * `LICENSE-VADER.txt` in this package. Kept out of the root entry because of its size; pass it
 * to `createSentimentAnalyzer({ lexicon: VADER_LEXICON_TEXT })`.
 *
 * @packageDocumentation
 */
export { VADER_LEXICON_TEXT } from './data';
