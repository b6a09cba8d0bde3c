import { ValidationError } from '@almanac/core';
import type { SentimentAnalyzer } from './vader';

/** One chat or forum message to aggregate. */
export interface SentimentMessage {
  /** Channel (Discord channel, Twitch chat, forum thread…). */
  readonly channelId: string;
  /** When it was sent: a Date, epoch ms, or an ISO 8601 string with a zone. */
  readonly at: Date | number | string;
  /** The text. */
  readonly text: string;
}

/** Sentiment of one channel on one day. */
export interface ChannelDaySentiment {
  /** Channel. */
  readonly channelId: string;
  /** Calendar day `YYYY-MM-DD` in the aggregation's time zone. */
  readonly day: string;
  /** Messages counted. */
  readonly messages: number;
  /** Mean compound score in [-1, 1]. */
  readonly meanCompound: number;
  /** Messages with compound ≥ the positive threshold. */
  readonly positive: number;
  /** Messages with compound ≤ the negative threshold. */
  readonly negative: number;
  /** The others. */
  readonly neutral: number;
}

/** Options of {@link aggregateSentiment}. */
export interface AggregateSentimentOptions {
  /** The scorer. */
  analyzer: SentimentAnalyzer;
  /** IANA time zone that decides where a day starts. Default `UTC`. */
  timeZone?: string | undefined;
  /** Compound at or above which a message is positive. Default 0.05 (VADER's convention). */
  positiveThreshold?: number | undefined;
  /** Compound at or below which a message is negative. Default -0.05. */
  negativeThreshold?: number | undefined;
}

/**
 * Scores messages and aggregates them per channel and calendar day (in `timeZone`), sorted
 * by channel then day: the community-health signal moderators watch.
 */
export function aggregateSentiment(messages: Iterable<SentimentMessage>, options: AggregateSentimentOptions): ChannelDaySentiment[] {
  const timeZone = options.timeZone ?? 'UTC';
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  } catch {
    throw new ValidationError(undefined, [{ path: 'timeZone', message: 'must be an IANA time zone' }]);
  }
  const positiveAt = options.positiveThreshold ?? 0.05;
  const negativeAt = options.negativeThreshold ?? -0.05;
  const groups = new Map<string, { channelId: string; day: string; sum: number; n: number; pos: number; neg: number }>();
  let index = 0;
  for (const message of messages) {
    const at = message?.at instanceof Date ? message.at.getTime() : typeof message?.at === 'number' ? message.at : Date.parse(String(message?.at));
    if (!Number.isFinite(at)) throw new ValidationError(undefined, [{ path: `messages[${index}].at`, message: 'must be a date' }]);
    if (typeof message.channelId !== 'string' || message.channelId.length === 0) {
      throw new ValidationError(undefined, [{ path: `messages[${index}].channelId`, message: 'must be a non-empty string' }]);
    }
    const day = format.format(at);
    const key = `${message.channelId}\u0000${day}`;
    const group = groups.get(key) ?? { channelId: message.channelId, day, sum: 0, n: 0, pos: 0, neg: 0 };
    const { compound } = options.analyzer.score(message.text);
    group.sum += compound;
    group.n += 1;
    if (compound >= positiveAt) group.pos += 1;
    else if (compound <= negativeAt) group.neg += 1;
    groups.set(key, group);
    index++;
  }
  return [...groups.values()]
    .sort((a, b) => (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
    .map((g) => ({
      channelId: g.channelId,
      day: g.day,
      messages: g.n,
      meanCompound: Math.round((g.sum / g.n) * 10_000) / 10_000,
      positive: g.pos,
      negative: g.neg,
      neutral: g.n - g.pos - g.neg,
    }));
}
