/** A user of {@link TwitchConformanceFixture}. */
export interface TwitchConformanceUser {
  /** User id. */
  readonly id: string;
  /** Login name. */
  readonly login: string;
  /** Display name. */
  readonly displayName: string;
}

/** A subscription of {@link TwitchConformanceFixture}. */
export interface TwitchConformanceSubscription {
  /** The broadcaster subscribed to. */
  readonly broadcasterId: string;
  /** The subscriber. */
  readonly userId: string;
  /** `1000`, `2000` or `3000`. */
  readonly tier: string;
}

/**
 * What a Helix backend under the Twitch conformance suite must hold. The values are the
 * examples of https://dev.twitch.tv/docs/api/reference/ (Get Users, Check User Subscription,
 * Get/Update Drops Entitlements), so a fake modelled on the docs serves them as they are.
 */
export interface TwitchConformanceFixture {
  /** A user the backend knows (`GET /users?login=`). */
  readonly user: TwitchConformanceUser;
  /** A subscription the backend reports (`GET /subscriptions/user` answers 200 with this tier). */
  readonly subscription: TwitchConformanceSubscription;
  /** A user who does not subscribe to `subscription.broadcasterId` (Helix answers 404). */
  readonly notSubscribedUserId: string;
  /** Drops entitlements of `user`, in the order the backend pages them (at most 2 per page when `first` is 2). */
  readonly entitlementIds: readonly string[];
  /** An id the backend reports `NOT_FOUND` for in a fulfillment update. */
  readonly missingEntitlementId: string;
}

/** The default Helix fixture. */
export const TWITCH_CONFORMANCE_FIXTURE: TwitchConformanceFixture = {
  user: { id: '141981764', login: 'twitchdev', displayName: 'TwitchDev' },
  subscription: { broadcasterId: '149747285', userId: '141981764', tier: '1000' },
  notSubscribedUserId: '1000000001',
  entitlementIds: ['fb78259e-fb81-4d1b-8333-34a06ffc24c0', '862750a5-265e-4ab6-9f0a-c64df3d54dd0', 'd8879baa-3966-4d10-8856-15fdd62cce02'],
  missingEntitlementId: '00000000-0000-4000-8000-000000000000',
};

/**
 * What a Discord backend under the Discord conformance suite must hold, with ids in the
 * examples' style of https://discord.com/developers/docs/resources/.
 */
export interface DiscordConformanceFixture {
  /** A guild, a member of it and a role the bot may grant. */
  readonly guildId: string;
  /** Member user id. */
  readonly userId: string;
  /** Role id. */
  readonly roleId: string;
  /** A channel the bot may post in (`POST /channels/{id}/messages` answers 200). */
  readonly channelId: string;
  /** A channel whose first post answers 429 (per-route, `retry_after` at most 0.05 s), then 200. */
  readonly rateLimitedChannelId: string;
}

/** The default Discord fixture. */
export const DISCORD_CONFORMANCE_FIXTURE: DiscordConformanceFixture = {
  guildId: '613425648685547541',
  userId: '80351110224678912',
  roleId: '41771983423143936',
  channelId: '290926798999357250',
  rateLimitedChannelId: '290926798999357251',
};
