/**
 * Outcome of an audited operation. `attempt` is the intent entry the facade writes before it
 * calls the provider (no entry, no call); `success` or `failure` follows, carrying the intent's
 * `seq` as `details.attemptSeq`. An `attempt` with nothing after it means the outcome could not
 * be recorded (or the process stopped mid-call): the change may or may not have happened.
 */
export type AuditOutcome = 'attempt' | 'success' | 'failure';

/** What a caller appends; the log adds `seq`, `at` (when absent) and the hash chain. */
export interface AuditEvent {
  /** Who did it: a user id, service name or `system`. */
  readonly actor: string;
  /** What was done, e.g. `createUser`, `blockUser`, `assignRoles`. */
  readonly action: string;
  /** What it was done to (a user id, or an email before the user exists); `null` for tenant-wide actions. */
  readonly target: string | null;
  /** `attempt` (about to call the provider), then whether it succeeded. */
  readonly outcome: AuditOutcome;
  /** JSON-safe facts; keys that look like secrets (password, token, …) are dropped before hashing. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  /** When it happened; the log's clock by default. */
  readonly at?: Date | undefined;
}

/** One entry of the chain as stored (one JSON line). */
export interface AuditEntry {
  /** Position in the chain, from 1, without gaps. */
  readonly seq: number;
  /** ISO 8601 instant (UTC). */
  readonly at: string;
  /** See {@link AuditEvent.actor}. */
  readonly actor: string;
  /** See {@link AuditEvent.action}. */
  readonly action: string;
  /** See {@link AuditEvent.target}. */
  readonly target: string | null;
  /** See {@link AuditEvent.outcome}. */
  readonly outcome: AuditOutcome;
  /** See {@link AuditEvent.details}; `{}` when none. */
  readonly details: Readonly<Record<string, unknown>>;
  /** `hash` of the previous entry; 64 zeros for the first. */
  readonly prevHash: string;
  /** SHA-256 (hex) of the canonical JSON of every other field. */
  readonly hash: string;
}

/** The latest entry's position and hash: publish it elsewhere to detect truncation later. */
export interface AuditHead {
  /** Sequence number of the latest entry. */
  readonly seq: number;
  /** Its hash. */
  readonly hash: string;
}

/**
 * Where entries live. Lines are the canonical JSON of one {@link AuditEntry}, without the
 * newline. Implementations append each line whole or not at all.
 */
export interface AuditStore {
  /** Appends one line atomically. */
  append(line: string): Promise<void>;
  /** The last complete line, or `undefined` when the store is empty. */
  last(): Promise<string | undefined>;
  /** Every line in order (a torn or otherwise damaged line is returned as it is, for `verify`). */
  lines(): AsyncIterable<string>;
}

/** Why a chain failed verification. */
export type AuditProblem =
  | 'unparseable'
  | 'malformed'
  | 'not_canonical'
  | 'sequence'
  | 'prev_hash'
  | 'hash'
  | 'truncated'
  | 'head_mismatch';

/** Result of {@link AuditLog.verify}. */
export type AuditVerification =
  | {
      /** The chain is intact. */
      readonly ok: true;
      /** Number of entries checked. */
      readonly entries: number;
      /** The latest entry, when there is one. */
      readonly head?: AuditHead | undefined;
    }
  | {
      /** The chain is broken. */
      readonly ok: false;
      /** Position (sequence number) of the first entry that is missing, altered or out of place. */
      readonly firstBadSeq: number;
      /** What is wrong there, in English. */
      readonly reason: string;
      /** Machine-readable kind of problem. */
      readonly problem: AuditProblem;
    };

/** Options of {@link AuditLog.verify}. */
export interface VerifyOptions {
  /**
   * A head published earlier (see {@link AuditLog.head}): the chain must still hold that entry
   * with that hash, which catches truncation and wholesale rewrites before it. The log also
   * checks against the last head it wrote or read itself.
   */
  readonly head?: AuditHead | undefined;
}

/** A tamper-evident, append-only log of admin operations (SHA-256 hash chain). */
export interface AuditLog {
  /** Appends one event; concurrent appends are serialised into one chain. */
  append(event: AuditEvent): Promise<AuditEntry>;
  /** Walks the whole store and checks every link. */
  verify(options?: VerifyOptions): Promise<AuditVerification>;
  /** Every entry, parsed (no checking: call `verify` for that). */
  entries(): AsyncIterable<AuditEntry>;
  /** The latest entry's position and hash, or `undefined` when empty. */
  head(): Promise<AuditHead | undefined>;
}
