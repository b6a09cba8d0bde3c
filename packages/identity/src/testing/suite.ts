import { checkCapabilityTable, describeConformance, expectAlmanacError } from '@almanac/core/testing';
import type { ConformanceOptions } from '@almanac/core/testing';
import { expect } from 'vitest';
import { createAuditLog } from '../audit/audit-log';
import { createMemoryAuditStore } from '../audit/memory-store';
import { createIdentity } from '../facade/create-identity';
import type { Identity } from '../facade/types';
import { IDENTITY_CAPABILITY_METHODS, IDENTITY_SPECIFICATION_VERSION } from '../spec';
import type { IdentityCapability, IdentityProvider, User } from '../spec';
import { IDENTITY_FIXTURE } from './fixture';
import type { FixtureUser, IdentityFixture } from './fixture';

/** What a conformance `create` hook returns: a facade over a tenant holding exactly the fixture. */
export interface IdentityHarness {
  /** The facade under test. */
  readonly identity: Identity;
}

/** Options of {@link describeIdentityConformance}: core's conformance shape, with the fixture to seed. */
export interface IdentityConformanceOptions extends ConformanceOptions<IdentityHarness, IdentityFixture> {
  /** Fixture to seed; {@link IDENTITY_FIXTURE} by default. */
  readonly fixture?: IdentityFixture | undefined;
}

const FLAGS: readonly IdentityCapability[] = [
  'users',
  'createUser',
  'search',
  'block',
  'revokeSessions',
  'roles',
  'groups',
  'mfaStatus',
  'signInActivity',
  'bulkExport',
];

// A password no provider would ever echo by accident: if it shows up anywhere, it leaked.
const CANARY_PASSWORD = 'Canary-9f3c2e71-do-not-leak!';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function userOf(identity: Identity, fixtureUser: FixtureUser): Promise<User> {
  const user = await identity.findUserByEmail(fixtureUser.email);
  expect(user, `fixture user ${fixtureUser.email} is missing from the tenant`).toBeDefined();
  return user as User;
}

async function roleIdOf(identity: Identity, name: string): Promise<string> {
  const role = (await identity.listRoles()).find((r) => r.name === name);
  expect(role, `fixture role ${name} is missing`).toBeDefined();
  return (role as { id: string }).id;
}

async function groupIdOf(identity: Identity, name: string): Promise<string> {
  const group = (await identity.listGroups()).find((g) => g.name === name);
  expect(group, `fixture group ${name} is missing`).toBeDefined();
  return (group as { id: string }).id;
}

let freshCount = 0;

/** A new user's email and name, unique within the run (tenants are fresh per test, shared ones are not). */
function fresh(prefix: string): { email: string; name: string } {
  const tag = `${Date.now().toString(36)}${(freshCount++).toString(36)}`;
  return { email: `${prefix}-${tag}@conformance.example`, name: `Conformance ${prefix} ${tag}` };
}

/**
 * Registers the identity conformance suite for one adapter. Each test gets a fresh tenant from
 * `create(fixture)` (destroyed after it) and is gated by the capabilities the adapter declares;
 * one test checks each declared flag against what the adapter and facade really do.
 */
export function describeIdentityConformance(options: IdentityConformanceOptions): void {
  const fixture = options.fixture ?? IDENTITY_FIXTURE;
  const [ada, grace, katherine, mallory, radia] = fixture.users as [FixtureUser, FixtureUser, FixtureUser, FixtureUser, FixtureUser];
  describeConformance<IdentityHarness, IdentityFixture>(
    'identity',
    options,
    (suite) => {
      suite.group('contract', () => {
        suite.test(
          'declares name, specificationVersion v1 and every capability flag as a boolean',
          ({ identity }) => {
            const provider = identity.provider;
            expect(typeof provider.name).toBe('string');
            expect(provider.name.length).toBeGreaterThan(0);
            expect(provider.specificationVersion).toBe(IDENTITY_SPECIFICATION_VERSION);
            for (const flag of FLAGS) expect(typeof provider.capabilities[flag], `capabilities.${flag}`).toBe('boolean');
          },
          { id: 'contract' },
        );

        suite.test(
          'every declared capability has its methods; every other one is refused before the provider is called',
          async ({ identity }) => {
            const { signInActivity: _dataOnly, ...table } = IDENTITY_CAPABILITY_METHODS;
            await checkCapabilityTable<IdentityProvider, Identity>({
              provider: identity.provider,
              capabilityMethods: table,
              facade: (provider) => createIdentity(provider),
              calls: {
                users: (f) => f.updateUser(fixture.missingUserId, { name: 'x' }),
                createUser: (f) => f.createUser({ email: 'refused@conformance.example', name: 'Refused' }),
                search: (f) => collect(f.listUsers({ query: 'a' })),
                block: (f) => f.blockUser(fixture.missingUserId),
                revokeSessions: (f) => f.revokeSessions(fixture.missingUserId),
                roles: (f) => f.listRoles(),
                groups: (f) => f.listGroups(),
                mfaStatus: (f) => f.getMfaStatus(fixture.missingUserId),
                bulkExport: (f) => collect(f.exportUsers()),
              },
            });
          },
          { id: 'capability-table' },
        );

        suite.test(
          'signInActivity matches the users: last sign-in reported when declared, absent otherwise',
          async ({ identity }) => {
            const users = await collect(identity.listUsers());
            if (identity.capabilities.signInActivity) {
              const adaUser = users.find((u) => u.email === ada.email);
              expect(adaUser?.lastLoginAt?.toISOString()).toBe(ada.lastLoginAt);
            } else {
              for (const user of users) expect(user.lastLoginAt, `${user.email}.lastLoginAt`).toBeUndefined();
            }
          },
          { id: 'sign-in-activity' },
        );
      });

      suite.group('reading users', () => {
        suite.test(
          'getUser returns each fixture user with the spec fields; NotFoundError for a missing id',
          async ({ identity }) => {
            for (const expected of fixture.users) {
              const found = await userOf(identity, expected);
              const user = await identity.getUser(found.id);
              expect(user.id).toBe(found.id);
              expect(user.email.toLowerCase()).toBe(expected.email);
              expect(user.name).toBe(expected.name);
              expect(user.blocked).toBe(expected.blocked);
              expect(user.createdAt).toBeInstanceOf(Date);
              expect(Number.isNaN(user.createdAt.getTime())).toBe(false);
              expect(typeof user.metadata).toBe('object');
              for (const [key, value] of Object.entries(expected.metadata)) expect(user.metadata[key]).toEqual(value);
              expect(user.raw).toBeDefined();
            }
            await expectAlmanacError(identity.getUser(fixture.missingUserId), { code: 'not_found' });
          },
          { id: 'get', needs: ['users'] },
        );

        suite.test(
          'findUserByEmail ignores case and returns undefined for an unknown email',
          async ({ identity }) => {
            const user = await identity.findUserByEmail(grace.email.toUpperCase());
            expect(user?.name).toBe(grace.name);
            expect(await identity.findUserByEmail('nobody@conformance.example')).toBeUndefined();
          },
          { id: 'find', needs: ['users'] },
        );

        suite.test(
          'listUsers yields every user exactly once across small pages and honours limit',
          async ({ identity }) => {
            const all = await collect(identity.listUsers({ pageSize: 2 }));
            const emails = all.map((u) => u.email.toLowerCase());
            for (const expected of fixture.users) expect(emails).toContain(expected.email);
            expect(new Set(all.map((u) => u.id)).size).toBe(all.length);
            const limited = await collect(identity.listUsers({ pageSize: 2, limit: 3 }));
            expect(limited).toHaveLength(Math.min(3, all.length));
          },
          { id: 'list', needs: ['users'] },
        );

        suite.test(
          'listUsers with a query returns the users whose email or name starts with it',
          async ({ identity }) => {
            const byName = (await collect(identity.listUsers({ query: 'grace h' }))).map((u) => u.email.toLowerCase());
            expect(byName).toContain(grace.email);
            expect(byName).not.toContain(ada.email);
            const byEmail = (await collect(identity.listUsers({ query: 'RADIA@' }))).map((u) => u.email.toLowerCase());
            expect(byEmail).toEqual([radia.email]);
          },
          { id: 'search', needs: ['users', 'search'] },
        );

        suite.test(
          'exportUsers streams every user',
          async ({ identity }) => {
            const emails = (await collect(identity.exportUsers())).map((u) => u.email.toLowerCase());
            for (const expected of fixture.users) expect(emails).toContain(expected.email);
          },
          { id: 'export', needs: ['bulkExport'] },
        );

        suite.test(
          'getMfaStatus reports enrolled factors; User.mfaEnabled agrees when present',
          async ({ identity }) => {
            for (const expected of [ada, grace, katherine]) {
              const user = await userOf(identity, expected);
              const status = await identity.getMfaStatus(user.id);
              expect(status.enabled, expected.email).toBe(expected.mfaMethods.length > 0);
              if (user.mfaEnabled !== undefined) expect(user.mfaEnabled).toBe(status.enabled);
            }
          },
          { id: 'mfa', needs: ['users', 'mfaStatus'] },
        );
      });

      suite.group('writing users', () => {
        suite.test(
          'createUser creates once; a second create with the same email is a ConflictError',
          async ({ identity }) => {
            const input = fresh('create');
            const user = await identity.createUser({ ...input, password: CANARY_PASSWORD, metadata: { plan: 'pro' } });
            expect(user.email.toLowerCase()).toBe(input.email);
            expect(user.name).toBe(input.name);
            expect(user.blocked).toBe(false);
            expect((await identity.getUser(user.id)).email.toLowerCase()).toBe(input.email);
            await expectAlmanacError(identity.createUser({ ...input, name: 'Again' }), { code: 'conflict' });
          },
          { id: 'create', needs: ['users', 'createUser'] },
        );

        suite.test(
          'createUser validates its input, naming the field',
          async ({ identity }) => {
            await expectAlmanacError(identity.createUser({ email: 'not-an-email', name: 'X' }), { code: 'validation', field: 'email' });
            await expectAlmanacError(identity.createUser({ email: 'x@conformance.example', name: '  ' }), { code: 'validation', field: 'name' });
          },
          { id: 'create-validation', needs: ['createUser'] },
        );

        suite.test(
          'a password never appears in users, errors or the audit log',
          async ({ identity }) => {
            const audit = createAuditLog({ store: createMemoryAuditStore() });
            const logged: string[] = [];
            const record = (level: string) => (message: string, fields?: object) => logged.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
            const audited = createIdentity(identity.provider, {
              audit,
              actor: 'conformance',
              logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
            });
            const input = fresh('canary');
            const user = await audited.createUser({ ...input, password: CANARY_PASSWORD });
            const errors: unknown[] = [];
            for (const attempt of [
              () => audited.createUser({ ...input, password: CANARY_PASSWORD }),
              () => audited.createUser({ email: 'bad', name: 'Bad', password: CANARY_PASSWORD }),
              () => audited.updateUser(fixture.missingUserId, { password: CANARY_PASSWORD }),
            ]) {
              try {
                await attempt();
              } catch (error) {
                errors.push(error);
              }
            }
            expect(errors).toHaveLength(3);
            if (identity.supports('users')) await audited.updateUser(user.id, { password: `${CANARY_PASSWORD}-2` });
            const seen = [
              JSON.stringify(user),
              JSON.stringify(await audited.getUser(user.id)),
              ...errors.map((e) => `${String(e)} ${JSON.stringify(e)} ${(e as Error).stack ?? ''}`),
              ...logged,
              ...(await collect(audit.entries())).map((entry) => JSON.stringify(entry)),
            ].join('\n');
            expect(seen).not.toContain(CANARY_PASSWORD);
            expect((await audit.verify()).ok).toBe(true);
          },
          { id: 'secrets', needs: ['users', 'createUser'] },
        );

        suite.test(
          'updateUser patches name and merges metadata (null removes a key); NotFoundError when missing',
          async ({ identity }) => {
            const user = await userOf(identity, radia);
            const updated = await identity.updateUser(user.id, { name: 'Radia J. Perlman', metadata: { office: null, floor: 3 } });
            expect(updated.name).toBe('Radia J. Perlman');
            const reread = await identity.getUser(user.id);
            expect(reread.name).toBe('Radia J. Perlman');
            expect(reread.metadata['floor']).toBe(3);
            expect('office' in reread.metadata).toBe(false);
            await expectAlmanacError(identity.updateUser(fixture.missingUserId, { name: 'X' }), { code: 'not_found' });
          },
          { id: 'update', needs: ['users'] },
        );

        suite.test(
          'updateUser to an email another user holds is a ConflictError',
          async ({ identity }) => {
            const user = await userOf(identity, radia);
            await expectAlmanacError(identity.updateUser(user.id, { email: ada.email }), { code: 'conflict' });
          },
          { id: 'update-conflict', needs: ['users'] },
        );

        suite.test(
          'deleteUser removes the user and succeeds again when it is already gone',
          async ({ identity }) => {
            const user = await userOf(identity, katherine);
            await identity.deleteUser(user.id);
            await expectAlmanacError(identity.getUser(user.id), { code: 'not_found' });
            await identity.deleteUser(user.id);
            expect(await identity.findUserByEmail(katherine.email)).toBeUndefined();
          },
          { id: 'delete', needs: ['users'] },
        );
      });

      suite.group('blocking', () => {
        suite.test(
          'blockUser and unblockUser are idempotent and show in User.blocked',
          async ({ identity }) => {
            const user = await userOf(identity, grace);
            await identity.blockUser(user.id);
            await identity.blockUser(user.id);
            expect((await identity.getUser(user.id)).blocked).toBe(true);
            await identity.unblockUser(user.id);
            await identity.unblockUser(user.id);
            expect((await identity.getUser(user.id)).blocked).toBe(false);
            const blocked = await userOf(identity, mallory);
            expect(blocked.blocked).toBe(true);
            await expectAlmanacError(identity.blockUser(fixture.missingUserId), { code: 'not_found' });
          },
          { id: 'block', needs: ['users', 'block'] },
        );

        suite.test(
          'revokeSessions succeeds for a user and is NotFoundError for a missing one',
          async ({ identity }) => {
            const user = await userOf(identity, ada);
            await identity.revokeSessions(user.id);
            await expectAlmanacError(identity.revokeSessions(fixture.missingUserId), { code: 'not_found' });
          },
          { id: 'revoke', needs: ['users', 'revokeSessions'] },
        );
      });

      suite.group('roles and groups', () => {
        suite.test(
          'listRoles holds the fixture roles and listUserRoles the user’s',
          async ({ identity }) => {
            const names = (await identity.listRoles()).map((r) => r.name);
            for (const role of fixture.roles) expect(names).toContain(role);
            const user = await userOf(identity, ada);
            expect((await identity.listUserRoles(user.id)).map((r) => r.name).sort()).toEqual([...ada.roles].sort());
          },
          { id: 'roles-list', needs: ['users', 'roles'] },
        );

        suite.test(
          'assignRoles and removeRoles are idempotent; an unknown role is NotFoundError',
          async ({ identity }) => {
            const user = await userOf(identity, radia);
            const viewer = await roleIdOf(identity, 'viewer');
            await identity.assignRoles(user.id, [viewer]);
            await identity.assignRoles(user.id, [viewer]);
            expect((await identity.listUserRoles(user.id)).map((r) => r.id)).toEqual([viewer]);
            await identity.removeRoles(user.id, [viewer]);
            await identity.removeRoles(user.id, [viewer]);
            expect(await identity.listUserRoles(user.id)).toEqual([]);
            await expectAlmanacError(identity.assignRoles(user.id, [fixture.missingRoleId]), { code: 'not_found' });
          },
          { id: 'roles-write', needs: ['users', 'roles'] },
        );

        suite.test(
          'listGroups holds the fixture groups and listUserGroups the user’s',
          async ({ identity }) => {
            const names = (await identity.listGroups()).map((g) => g.name);
            for (const group of fixture.groups) expect(names).toContain(group);
            const user = await userOf(identity, radia);
            expect((await identity.listUserGroups(user.id)).map((g) => g.name).sort()).toEqual([...radia.groups].sort());
          },
          { id: 'groups-list', needs: ['users', 'groups'] },
        );

        suite.test(
          'addToGroup and removeFromGroup are idempotent; an unknown group is NotFoundError',
          async ({ identity }) => {
            const user = await userOf(identity, mallory);
            const finance = await groupIdOf(identity, 'finance');
            await identity.addToGroup(user.id, finance);
            await identity.addToGroup(user.id, finance);
            expect((await identity.listUserGroups(user.id)).map((g) => g.id)).toEqual([finance]);
            await identity.removeFromGroup(user.id, finance);
            await identity.removeFromGroup(user.id, finance);
            expect(await identity.listUserGroups(user.id)).toEqual([]);
            await expectAlmanacError(identity.addToGroup(user.id, fixture.missingGroupId), { code: 'not_found' });
          },
          { id: 'groups-write', needs: ['users', 'groups'] },
        );
      });

      suite.group('facade', () => {
        suite.test(
          'invalid input is a ValidationError naming the field, before the provider is called',
          async ({ identity }) => {
            await expectAlmanacError(identity.getUser(''), { code: 'validation', field: 'id' });
            await expectAlmanacError(identity.findUserByEmail('nope'), { code: 'validation', field: 'email' });
            await expectAlmanacError(identity.getUser(ada.email, { timeoutMs: -1 }), { code: 'validation', field: 'options.timeoutMs' });
            await expectAlmanacError(() => collect(identity.listUsers({ limit: 0 })), { code: 'validation', field: 'options.limit' });
          },
          { id: 'validation', needs: ['users'] },
        );

        suite.test(
          'an aborted signal fails the call with AbortedError',
          async ({ identity }) => {
            const controller = new AbortController();
            controller.abort();
            const user = await userOf(identity, ada);
            await expectAlmanacError(identity.getUser(user.id, { signal: controller.signal }), { code: 'aborted' });
            await expectAlmanacError(() => collect(identity.listUsers({ signal: controller.signal })), { code: 'aborted' });
          },
          { id: 'abort', needs: ['users'] },
        );
      });
    },
    {
      scope: 'test',
      fixture,
      supports: (harness, capability) => harness.identity.supports(capability as IdentityCapability),
    },
  );
}
