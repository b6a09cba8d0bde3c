import { ValidationError } from '@almanac/core';
import type { ValidationIssue } from '@almanac/core';

/** Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_EMBED_LIMITS: DiscordEmbedLimits = Object.freeze({
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  totalCharacters: 6000,
  embedsPerMessage: 10,
  content: 2000,
});

/** The limits {@link validateDiscordMessage} enforces, in characters unless said otherwise. */
export interface DiscordEmbedLimits {
  /** Embed title. */
  readonly title: number;
  /** Embed description. */
  readonly description: number;
  /** Fields per embed (a count). */
  readonly fields: number;
  /** Field name. */
  readonly fieldName: number;
  /** Field value. */
  readonly fieldValue: number;
  /** Footer text. */
  readonly footerText: number;
  /** Author name. */
  readonly authorName: number;
  /** Title, description, field names and values, footer text and author names of all embeds together. */
  readonly totalCharacters: number;
  /** Embeds per message (a count). */
  readonly embedsPerMessage: number;
  /** Message content. */
  readonly content: number;
}

/** An embed field. */
export interface DiscordEmbedField {
  /** Field name (≤ 256). */
  readonly name: string;
  /** Field value (≤ 1024). */
  readonly value: string;
  /** Shown inline. */
  readonly inline?: boolean | undefined;
}

/** An embed footer. */
export interface DiscordEmbedFooter {
  /** Text (≤ 2048). */
  readonly text: string;
  /** Icon URL. */
  readonly icon_url?: string | undefined;
}

/** An embed author. */
export interface DiscordEmbedAuthor {
  /** Name (≤ 256). */
  readonly name: string;
  /** Link. */
  readonly url?: string | undefined;
  /** Icon URL. */
  readonly icon_url?: string | undefined;
}

/** A rich embed (the fields Discord limits are typed; everything else passes through). */
export interface DiscordEmbed {
  /** Title (≤ 256). */
  readonly title?: string | undefined;
  /** Description (≤ 4096). */
  readonly description?: string | undefined;
  /** Link of the title. */
  readonly url?: string | undefined;
  /** Colour as an integer. */
  readonly color?: number | undefined;
  /** Up to 25 fields. */
  readonly fields?: readonly DiscordEmbedField[] | undefined;
  /** Footer (text ≤ 2048). */
  readonly footer?: DiscordEmbedFooter | undefined;
  /** Author (name ≤ 256). */
  readonly author?: DiscordEmbedAuthor | undefined;
  /** Other embed properties. */
  readonly [key: string]: unknown;
}

/** A message to send (`POST /channels/{id}/messages` or a webhook). */
export interface DiscordMessageInput {
  /** Text (≤ 2000 characters). */
  readonly content?: string | undefined;
  /** Up to 10 embeds, 6000 characters in total. */
  readonly embeds?: readonly DiscordEmbed[] | undefined;
  /**
   * Who may be pinged. Default `{ parse: [] }`: no `@everyone`, role or user pings unless the
   * caller opts in, so text from players cannot mass-mention a server.
   */
  readonly allowed_mentions?: Readonly<Record<string, unknown>> | undefined;
  /** Message components. */
  readonly components?: readonly unknown[] | undefined;
  /** Other message properties (e.g. `flags`). */
  readonly [key: string]: unknown;
}

const length = (value: unknown): number => (typeof value === 'string' ? [...value].length : 0);

/**
 * Checks a message against Discord's limits before it is sent, so an over-long embed fails
 * with a `ValidationError` naming the field (`embeds[1].fields[3].value`) instead of a
 * 400 from Discord (which also counts towards the invalid-request limit).
 */
export function validateDiscordMessage(message: DiscordMessageInput): void {
  const issues: ValidationIssue[] = [];
  const L = DISCORD_EMBED_LIMITS;
  if (message.content !== undefined && (typeof message.content !== 'string' || length(message.content) > L.content)) {
    issues.push({ path: 'content', message: `must be a string of at most ${L.content} characters` });
  }
  const embeds = message.embeds ?? [];
  if (!Array.isArray(embeds)) {
    issues.push({ path: 'embeds', message: 'must be an array' });
    throw new ValidationError(undefined, issues);
  }
  if (embeds.length > L.embedsPerMessage) issues.push({ path: 'embeds', message: `at most ${L.embedsPerMessage} embeds per message` });
  let total = 0;
  embeds.forEach((embed, i) => {
    const at = `embeds[${i}]`;
    const check = (value: unknown, max: number, path: string) => {
      if (value === undefined) return;
      if (typeof value !== 'string') issues.push({ path, message: 'must be a string' });
      else if (length(value) > max) issues.push({ path, message: `must be at most ${max} characters` });
      total += length(value);
    };
    check(embed.title, L.title, `${at}.title`);
    check(embed.description, L.description, `${at}.description`);
    check(embed.footer?.text, L.footerText, `${at}.footer.text`);
    check(embed.author?.name, L.authorName, `${at}.author.name`);
    const fields: readonly DiscordEmbedField[] = embed.fields ?? [];
    if (fields.length > L.fields) issues.push({ path: `${at}.fields`, message: `at most ${L.fields} fields` });
    fields.forEach((field, j) => {
      check(field?.name, L.fieldName, `${at}.fields[${j}].name`);
      check(field?.value, L.fieldValue, `${at}.fields[${j}].value`);
      if (length(field?.name) === 0 || length(field?.value) === 0) issues.push({ path: `${at}.fields[${j}]`, message: 'name and value must not be empty' });
    });
  });
  if (total > L.totalCharacters) issues.push({ path: 'embeds', message: `all embeds together must be at most ${L.totalCharacters} characters (got ${total})` });
  if (issues.length > 0) throw new ValidationError(undefined, issues);
}
