import type { AlmanacError, Clock, Logger } from '@almanac/core';
import type { LoginEvent, LoginReasonCode, LoginRiskOptions, LoginRiskReason, UserRiskOptions, UserRiskReason } from '@almanac/oracle';
import type { Identity } from '../facade/types';

/** What the advisor can do about a login, from least to most severe. */
export type LoginAction = 'allow' | 'step_up_mfa' | 'block';

/**
 * One sign-in to assess, as the application saw it: oracle's `LoginEvent` fields (IP, country,
 * city, coordinates, device, user agent, time zone; the same meaning and checks) plus the user.
 * Shared with oracle rather than repeated, so a field oracle adds or documents is the advisor's too.
 */
export interface LoginAttempt extends Omit<LoginEvent, 'at'> {
  /** The user who signed in. */
  readonly userId: string;
  /** When; the advisor's clock by default. */
  readonly at?: Date | undefined;
}

/** A login as stored in a {@link LoginHistoryStore}: the attempt and its verdict. */
export interface LoginRecord extends Omit<LoginEvent, 'at'> {
  /** The user. */
  readonly userId: string;
  /** ISO 8601 instant. */
  readonly at: string;
  /** Risk score the login got, 0–100. */
  readonly score: number;
  /** Whether the score reached the anomaly threshold. */
  readonly anomalous: boolean;
  /** The action decided. */
  readonly action: LoginAction;
}

/** Where login history lives (memory or JSONL file; bring your own database). */
export interface LoginHistoryStore {
  /** Stores one login. */
  append(record: LoginRecord): Promise<void>;
  /** The user's latest `limit` logins strictly before `before`, oldest first. */
  recent(userId: string, options: { readonly before: Date; readonly limit: number }): Promise<readonly LoginRecord[]>;
  /** The user's latest login, if any. */
  lastLogin(userId: string): Promise<LoginRecord | undefined>;
  /** Every login in `[since, until)`, any order. */
  scan(options: { readonly since: Date; readonly until: Date }): AsyncIterable<LoginRecord>;
}

/** A score threshold and the action it triggers. */
export interface PolicyRule {
  /** Scores at or above this (0–100) trigger `action`. */
  readonly minScore: number;
  /** The action. */
  readonly action: LoginAction;
}

/** The security policy, as data. */
export interface SecurityPolicy {
  /** Login scoring options passed to oracle's `assessLogin` (weights, threshold, zone, …). */
  readonly login?: LoginRiskOptions | undefined;
  /** Score thresholds; the highest matching rule wins. Default: 80 → block, 50 → step_up_mfa. */
  readonly rules?: readonly PolicyRule[] | undefined;
  /** Actions forced by a reason whatever the score, e.g. `{ impossible_travel: 'block' }`. The stricter action wins. */
  readonly reasonActions?: Partial<Record<LoginReasonCode, LoginAction>> | undefined;
  /** Role ids or names (case-insensitive) that make a user privileged. Default admin-like names. */
  readonly privilegedRoles?: readonly string[] | undefined;
  /** Days without sign-in from which an account is stale. Default 90. */
  readonly staleAfterDays?: number | undefined;
  /** Window of anomalous logins counted into the user risk score, in days. Default 30. */
  readonly anomalyWindowDays?: number | undefined;
  /** Options of oracle's `userRiskScore`. */
  readonly userRisk?: UserRiskOptions | undefined;
  /** Most high-risk users reported by `reviewAccess`. Default 20. */
  readonly highRiskLimit?: number | undefined;
  /** Lowest level reported as high risk. Default `medium`. */
  readonly minRiskLevel?: 'medium' | 'high' | undefined;
  /** Earlier logins fed to `assessLogin`. Default 200. */
  readonly historyLimit?: number | undefined;
  /** Whose MFA status `reviewAccess` fetches when users do not carry it: `privileged` (default), `all` or `none`. */
  readonly fetchMfaStatus?: 'privileged' | 'all' | 'none' | undefined;
}

/** Options of {@link createSecurityAdvisor}. */
export interface SecurityAdvisorOptions {
  /** The identity facade: blocks users, lists them for reviews. */
  readonly identity: Identity;
  /** Login history. */
  readonly history: LoginHistoryStore;
  /** The policy. Defaults apply to anything left out. */
  readonly policy?: SecurityPolicy | undefined;
  /** Default `at` of logins and `now` of reviews. */
  readonly clock?: Clock | undefined;
  /** Receives warnings (e.g. a block that failed). */
  readonly logger?: Logger | undefined;
  /** Actor recorded in the audit log when the advisor blocks someone. Default `security-advisor`. */
  readonly actor?: string | undefined;
}

/** The advisor's decision on one login. */
export interface LoginVerdict {
  /** The user. */
  readonly userId: string;
  /** When the login happened. */
  readonly at: Date;
  /** What to do. */
  readonly action: LoginAction;
  /** Risk score 0–100. */
  readonly score: number;
  /** Whether the score reached the anomaly threshold. */
  readonly anomalous: boolean;
  /** Why, with points. */
  readonly reasons: readonly LoginRiskReason[];
  /** True when this verdict blocked the account. */
  readonly blocked: boolean;
  /** Why a `block` verdict could not be enforced, if it could not. */
  readonly enforcementError?: AlmanacError | undefined;
}

/** A user as named in a review finding. */
export interface ReviewedUser {
  /** User id. */
  readonly id: string;
  /** Email. */
  readonly email: string;
  /** Display name. */
  readonly name: string;
}

/** One line of an access review. */
export type AccessReviewFinding =
  | {
      /** Idle for at least `staleAfterDays`. */
      readonly kind: 'stale_account';
      /** Who. */
      readonly user: ReviewedUser;
      /** Whole days since the last sign-in (or creation). */
      readonly inactiveDays: number;
      /** Never signed in. */
      readonly neverLoggedIn: boolean;
    }
  | {
      /** Holds a privileged role without a second factor. */
      readonly kind: 'privileged_without_mfa';
      /** Who. */
      readonly user: ReviewedUser;
      /** The privileged roles held (names). */
      readonly roles: readonly string[];
    }
  | {
      /** Blocked but still holding roles (access comes back on unblock). */
      readonly kind: 'blocked_with_roles';
      /** Who. */
      readonly user: ReviewedUser;
      /** Roles held (names). */
      readonly roles: readonly string[];
    }
  | {
      /** Among the highest standing risks (reported after the scan, riskiest first). */
      readonly kind: 'high_risk';
      /** Who. */
      readonly user: ReviewedUser;
      /** Score 0–100. */
      readonly score: number;
      /** Level. */
      readonly level: 'medium' | 'high';
      /** Why, with points. */
      readonly reasons: readonly UserRiskReason[];
      /** False when the provider could not say whether MFA is enrolled (scored as enrolled). */
      readonly mfaKnown: boolean;
    }
  | {
      /** Totals, always last. */
      readonly kind: 'summary';
      /** Reference instant of the review. */
      readonly now: Date;
      /** Users scanned. */
      readonly users: number;
      /** Count of `stale_account` findings. */
      readonly staleAccounts: number;
      /** Count of `privileged_without_mfa` findings. */
      readonly privilegedWithoutMfa: number;
      /** Count of `blocked_with_roles` findings. */
      readonly blockedWithRoles: number;
      /** Count of `high_risk` findings. */
      readonly highRisk: number;
      /** Users whose last sign-in nobody knows (no `signInActivity`, no history): not judged stale. */
      readonly activityUnknown: number;
    };

/** Options of {@link SecurityAdvisor.reviewAccess}. */
export interface AccessReviewOptions {
  /** Reference instant; the advisor's clock by default. */
  readonly now?: Date | undefined;
  /** Aborts the review. */
  readonly signal?: AbortSignal | undefined;
  /** Users looked up at once when roles or MFA need extra calls. Default 4. */
  readonly concurrency?: number | undefined;
}

/** Scores logins against the policy, blocks when it says so, and reviews access. */
export interface SecurityAdvisor {
  /** Stores the login, scores it with oracle's `assessLogin`, applies the policy (a `block` blocks the user). */
  recordLogin(attempt: LoginAttempt, options?: { readonly signal?: AbortSignal | undefined }): Promise<LoginVerdict>;
  /** Streams an access review over every user: findings as found, then the high-risk list, then a summary. */
  reviewAccess(options?: AccessReviewOptions): AsyncIterable<AccessReviewFinding>;
  /** The policy in force, defaults filled in. */
  readonly policy: ResolvedSecurityPolicy;
}

/** {@link SecurityPolicy} with defaults filled in. */
export interface ResolvedSecurityPolicy {
  /** See {@link SecurityPolicy.login}. */
  readonly login: LoginRiskOptions | undefined;
  /** Sorted by `minScore`, highest first. */
  readonly rules: readonly PolicyRule[];
  /** See {@link SecurityPolicy.reasonActions}. */
  readonly reasonActions: Readonly<Partial<Record<LoginReasonCode, LoginAction>>>;
  /** Lower-cased. */
  readonly privilegedRoles: readonly string[];
  /** See {@link SecurityPolicy.staleAfterDays}. */
  readonly staleAfterDays: number;
  /** See {@link SecurityPolicy.anomalyWindowDays}. */
  readonly anomalyWindowDays: number;
  /** See {@link SecurityPolicy.userRisk}. */
  readonly userRisk: UserRiskOptions | undefined;
  /** See {@link SecurityPolicy.highRiskLimit}. */
  readonly highRiskLimit: number;
  /** See {@link SecurityPolicy.minRiskLevel}. */
  readonly minRiskLevel: 'medium' | 'high';
  /** See {@link SecurityPolicy.historyLimit}. */
  readonly historyLimit: number;
  /** See {@link SecurityPolicy.fetchMfaStatus}. */
  readonly fetchMfaStatus: 'privileged' | 'all' | 'none';
}
