/** One fixture user. Roles and groups are named, since providers assign their own ids. */
export interface FixtureUser {
  /** Email (unique). */
  readonly email: string;
  /** Display name. */
  readonly name: string;
  /** Sign-in blocked. */
  readonly blocked: boolean;
  /** Role names held. */
  readonly roles: readonly string[];
  /** Group names the user belongs to. */
  readonly groups: readonly string[];
  /** Last sign-in, ISO 8601 (only checked when the provider declares `signInActivity`). */
  readonly lastLoginAt?: string | undefined;
  /** IP of the last sign-in. */
  readonly lastLoginIp?: string | undefined;
  /** Enrolled second factors (only checked with `mfaStatus`). */
  readonly mfaMethods: readonly string[];
  /** Application metadata. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** The canonical tenant every adapter is tested against. */
export interface IdentityFixture {
  /** The users. */
  readonly users: readonly FixtureUser[];
  /** Role names of the tenant. */
  readonly roles: readonly string[];
  /** Group names of the tenant. */
  readonly groups: readonly string[];
  /** A user id that never exists. */
  readonly missingUserId: string;
  /** A role id that never exists. */
  readonly missingRoleId: string;
  /** A group id that never exists. */
  readonly missingGroupId: string;
}

/**
 * The canonical tenant: five users (one blocked, one privileged with MFA, one privileged
 * without), two roles, two groups. Names and emails start differently so prefix searches have
 * one answer.
 */
export const IDENTITY_FIXTURE: IdentityFixture = {
  users: [
    {
      email: 'ada@conformance.example',
      name: 'Ada Lovelace',
      blocked: false,
      roles: ['admin'],
      groups: ['engineering'],
      lastLoginAt: '2026-01-15T09:30:00.000Z',
      lastLoginIp: '203.0.113.7',
      mfaMethods: ['otp'],
      metadata: { team: 'analytics' },
    },
    {
      email: 'grace@conformance.example',
      name: 'Grace Hopper',
      blocked: false,
      roles: ['admin'],
      groups: ['engineering'],
      mfaMethods: [],
      metadata: {},
    },
    {
      email: 'katherine@conformance.example',
      name: 'Katherine Johnson',
      blocked: false,
      roles: ['viewer'],
      groups: ['finance'],
      lastLoginAt: '2025-06-01T12:00:00.000Z',
      mfaMethods: ['sms'],
      metadata: {},
    },
    {
      email: 'mallory@conformance.example',
      name: 'Mallory Blocked',
      blocked: true,
      roles: ['viewer'],
      groups: [],
      mfaMethods: [],
      metadata: {},
    },
    {
      email: 'radia@conformance.example',
      name: 'Radia Perlman',
      blocked: false,
      roles: [],
      groups: ['engineering', 'finance'],
      mfaMethods: [],
      metadata: { office: 'remote' },
    },
  ],
  roles: ['admin', 'viewer'],
  groups: ['engineering', 'finance'],
  missingUserId: 'conformance-missing-user-0000',
  missingRoleId: 'conformance-missing-role-0000',
  missingGroupId: 'conformance-missing-group-0000',
};
