/**
 * Message shapes of the Segment spec (https://segment.com/docs/connections/spec/common/), the
 * wire format the collector stores and every sink receives. Field names are Segment's, so a
 * stored message is sent to Segment's HTTP API as it is.
 */

/** JSON value kept in properties, traits and context. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** The Segment call types the collector accepts. */
export type CdpMessageType = 'identify' | 'track' | 'page' | 'group' | 'alias';

/** Fields common to every message (Segment's common fields). */
export interface CdpMessageBase {
  /** Call type. */
  readonly type: CdpMessageType;
  /** Unique id; Segment and the warehouse deduplicate on it, so a redelivery never counts twice. */
  readonly messageId: string;
  /** When the call happened, ISO-8601 UTC. */
  readonly timestamp: string;
  /** The known user's id; each message has `userId`, `anonymousId` or both. */
  readonly userId?: string | undefined;
  /** A device or session id for users not yet identified. */
  readonly anonymousId?: string | undefined;
  /** Extra information about the call (ip, locale, library, …). */
  readonly context?: JsonObject | undefined;
  /** Per-destination switches, passed through to Segment. */
  readonly integrations?: { readonly [key: string]: boolean | JsonObject } | undefined;
}

/** `identify`: who the user is, with traits. */
export interface IdentifyMessage extends CdpMessageBase {
  /** Discriminant. */
  readonly type: 'identify';
  /** Traits of the user (email, plan, …). */
  readonly traits?: JsonObject | undefined;
}

/** `track`: something the user did. */
export interface TrackMessage extends CdpMessageBase {
  /** Discriminant. */
  readonly type: 'track';
  /** Event name, e.g. `Order Completed`. */
  readonly event: string;
  /** Event properties; a numeric `revenue` is loaded into the warehouse's `revenue` column. */
  readonly properties?: JsonObject | undefined;
}

/** `page`: a page view. */
export interface PageMessage extends CdpMessageBase {
  /** Discriminant. */
  readonly type: 'page';
  /** Page name. */
  readonly name?: string | undefined;
  /** Page category. */
  readonly category?: string | undefined;
  /** Page properties (url, path, referrer, …). */
  readonly properties?: JsonObject | undefined;
}

/** `group`: the user belongs to a group (company, team, guild). */
export interface GroupMessage extends CdpMessageBase {
  /** Discriminant. */
  readonly type: 'group';
  /** Group id. */
  readonly groupId: string;
  /** Traits of the group. */
  readonly traits?: JsonObject | undefined;
}

/** `alias`: two ids are the same user. */
export interface AliasMessage extends CdpMessageBase {
  /** Discriminant. */
  readonly type: 'alias';
  /** The new id. */
  readonly userId: string;
  /** The id being merged into `userId`. */
  readonly previousId: string;
}

/** Any message. */
export type CdpMessage = IdentifyMessage | TrackMessage | PageMessage | GroupMessage | AliasMessage;

/** What the caller passes: `messageId` and `timestamp` are optional (the collector fills them). */
export type CallInput<M extends CdpMessage> = Omit<M, 'type' | 'messageId' | 'timestamp'> & {
  /** Kept when supplied (e.g. to make a retried call idempotent); a UUID v7 otherwise. */
  readonly messageId?: string | undefined;
  /** A Date or ISO-8601 string; the collector's clock otherwise. */
  readonly timestamp?: Date | string | undefined;
};
