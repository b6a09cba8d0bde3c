export { createSentimentAnalyzer, parseVaderLexicon } from './vader';
export type { SentimentAnalyzer, SentimentAnalyzerOptions, SentimentScores } from './vader';
export { aggregateSentiment } from './aggregate';
export type { AggregateSentimentOptions, ChannelDaySentiment, SentimentMessage } from './aggregate';
