// @almanac/identity: the facade on the memory provider. Passwords are canaries, so the scan
// catches one in any log line, audit entry rendering or error message.
import { createMemoryIdentity } from '@almanac/identity/memory';
import fc from 'fast-check';
import { CANARIES } from '../harness/canary';
import { hostileOptions, hostileString, hostileValue } from '../harness/hostile';
import type { AdversarialTargets, FacadeTarget } from './types';
import { method } from './types';

type Identity = ReturnType<typeof createMemoryIdentity>;

const id = fc.oneof(hostileString, fc.constant('u1'));
const call = hostileOptions(['revokeSessions']);
const createInput = fc.oneof(
  hostileValue,
  fc.record(
    { email: fc.oneof(hostileString, fc.emailAddress()), name: hostileString, password: fc.constant(CANARIES.password), connection: hostileValue, metadata: hostileValue, idempotencyKey: hostileValue },
    { requiredKeys: ['email', 'password'] },
  ),
);

const memoryIdentity: FacadeTarget<Identity> = {
  name: '@almanac/identity createMemoryIdentity',
  create: (ctx) => createMemoryIdentity({ logger: ctx.capture.logger() }),
  operations: {
    getUser: method('getUser', fc.tuple(id, call)),
    findUserByEmail: method('findUserByEmail', fc.tuple(hostileString, call)),
    listUsers: method('listUsers', fc.tuple(hostileOptions(['query', 'limit', 'pageSize']))),
    exportUsers: method('exportUsers', fc.tuple(hostileOptions(['query', 'limit']))),
    createUser: method('createUser', fc.tuple(createInput, call)),
    updateUser: method('updateUser', fc.tuple(id, fc.oneof(hostileValue, fc.record({ name: hostileValue, email: hostileValue, password: fc.constant(CANARIES.password), metadata: hostileValue })), call)),
    deleteUser: method('deleteUser', fc.tuple(id, call)),
    blockUser: method('blockUser', fc.tuple(id, call)),
    unblockUser: method('unblockUser', fc.tuple(id, call)),
    revokeSessions: method('revokeSessions', fc.tuple(id, call)),
    listRoles: method('listRoles', fc.tuple(call)),
    listUserRoles: method('listUserRoles', fc.tuple(id, call)),
    assignRoles: method('assignRoles', fc.tuple(id, fc.oneof(hostileValue, fc.array(hostileString)), call)),
    removeRoles: method('removeRoles', fc.tuple(id, fc.oneof(hostileValue, fc.array(hostileString)), call)),
    listGroups: method('listGroups', fc.tuple(call)),
    listUserGroups: method('listUserGroups', fc.tuple(id, call)),
    addToGroup: method('addToGroup', fc.tuple(id, hostileString, call)),
    removeFromGroup: method('removeFromGroup', fc.tuple(id, hostileString, call)),
    getMfaStatus: method('getMfaStatus', fc.tuple(id, call)),
    supports: method('supports', fc.tuple(hostileValue)),
  },
};

export const identityTargets: AdversarialTargets = {
  package: '@almanac/identity',
  text: [
    {
      name: 'identity: createUser (email, name)',
      prepare: (text: string) => ({ identity: createMemoryIdentity(), text }),
      run: ({ identity, text }: { identity: Identity; text: string }) => identity.createUser({ email: text, name: text, password: CANARIES.password }),
    },
    {
      name: 'identity: findUserByEmail',
      prepare: (text: string) => ({ identity: createMemoryIdentity(), text }),
      run: ({ identity, text }: { identity: Identity; text: string }) => identity.findUserByEmail(text),
    },
  ],
  facades: [memoryIdentity],
};
