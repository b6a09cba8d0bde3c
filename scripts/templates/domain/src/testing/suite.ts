import { SPECIFICATION_VERSION } from '@almanac/core/kit';
import { checkCapabilityTable, describeConformance, expectAlmanacError } from '@almanac/core/testing';
import type { ConformanceOptions } from '@almanac/core/testing';
import { expect } from 'vitest';
import { create__Domain__ } from '../facade/create-__domain__';
import type { __Domain__ } from '../facade/types';
import { __DOMAIN___CAPABILITY_METHODS } from '../spec';
import type { __Domain__Capability, __Domain__Provider } from '../spec';
import { __DOMAIN___FIXTURE } from './fixture';
import type { __Domain__Fixture } from './fixture';

/**
 * Options of {@link describe__Domain__Conformance}: core's one conformance shape (`name`,
 * `create`, `destroy`, `skip`), where `create` gets the fixture to seed and returns a facade
 * over a provider holding exactly it.
 */
export interface __Domain__ConformanceOptions extends ConformanceOptions<__Domain__, __Domain__Fixture> {
  /** Fixture to seed; {@link __DOMAIN___FIXTURE} by default. */
  readonly fixture?: __Domain__Fixture | undefined;
}

const FLAGS: readonly __Domain__Capability[] = Object.keys(__DOMAIN___CAPABILITY_METHODS) as __Domain__Capability[];

/**
 * Registers the __domainWords__ conformance suite for one adapter (call it at the top level of a
 * test file). One facade serves the whole suite, since no test changes state; a suite with
 * writes would pass `scope: 'test'` to get a fresh one per test. Tests of optional operations
 * are gated by the capabilities the adapter declares, and one test checks each declared flag
 * against what the adapter and the facade really do.
 */
export function describe__Domain__Conformance(options: __Domain__ConformanceOptions): void {
  const fixture = options.fixture ?? __DOMAIN___FIXTURE;
  describeConformance<__Domain__, __Domain__Fixture>(
    '__domain__',
    options,
    (suite) => {
      suite.group('contract', () => {
        suite.test(
          'declares a name, specificationVersion v1 and every capability flag as a boolean',
          (subject) => {
            const provider = subject.provider;
            expect(provider.name.length).toBeGreaterThan(0);
            expect(provider.specificationVersion).toBe(SPECIFICATION_VERSION);
            for (const flag of FLAGS) expect(typeof provider.capabilities[flag], `capabilities.${flag}`).toBe('boolean');
          },
          { id: 'contract' },
        );

        suite.test(
          'every declared capability has its methods; every other one is refused before the provider is called',
          (subject) =>
            checkCapabilityTable<__Domain__Provider, __Domain__>({
              provider: subject.provider,
              capabilityMethods: __DOMAIN___CAPABILITY_METHODS,
              facade: (provider) => create__Domain__(provider),
              calls: { search: (facade) => facade.searchItems('alpha') },
            }),
          { id: 'capability-table' },
        );
      });

      suite.group('getItem', () => {
        suite.test(
          'returns each fixture item with its id and name',
          async (subject) => {
            for (const item of fixture.items) {
              const got = await subject.getItem(item.id);
              expect({ id: got.id, name: got.name }).toEqual({ id: item.id, name: item.name });
            }
          },
          { id: 'get' },
        );

        suite.test(
          'fails with NotFoundError naming the provider for a missing id',
          (subject) => expectAlmanacError(subject.getItem(fixture.missingId), { code: 'not_found', provider: subject.name, operation: 'getItem' }),
          { id: 'get-missing' },
        );

        suite.test(
          'fails with ValidationError naming the field for an empty id or a bad option',
          async (subject) => {
            await expectAlmanacError(subject.getItem(' '), { code: 'validation', field: 'id' });
            await expectAlmanacError(subject.getItem('item-1', { timeoutMs: -1 }), { code: 'validation', field: 'options.timeoutMs' });
          },
          { id: 'get-invalid' },
        );

        suite.test(
          'fails with AbortedError when the caller aborts',
          (subject) => expectAlmanacError(subject.getItem(fixture.items[0]?.id ?? 'x', { signal: AbortSignal.abort() }), { code: 'aborted' }),
          { id: 'get-aborted' },
        );
      });

      suite.group('searchItems', () => {
        suite.test(
          'finds items by a case-insensitive part of the name, in a stable order, up to the limit',
          async (subject) => {
            const expected = fixture.items.filter((item) => item.name.toLowerCase().includes('alpha')).map((item) => item.id);
            const first = (await subject.searchItems('ALPHA')).map((item) => item.id);
            expect([...first].sort()).toEqual([...expected].sort());
            expect((await subject.searchItems('alpha')).map((item) => item.id)).toEqual(first);
            expect(await subject.searchItems('alpha', { limit: 1 })).toHaveLength(Math.min(1, expected.length));
            expect(await subject.searchItems('no item has this name')).toEqual([]);
          },
          { id: 'search', needs: ['search'] },
        );

        suite.test(
          'fails with ValidationError naming the field for an empty query or a bad limit',
          async (subject) => {
            await expectAlmanacError(subject.searchItems(''), { code: 'validation', field: 'query' });
            await expectAlmanacError(subject.searchItems('alpha', { limit: 0 }), { code: 'validation', field: 'options.limit' });
          },
          { id: 'search-invalid', needs: ['search'] },
        );
      });
    },
    { fixture, supports: (subject, capability) => subject.supports(capability as __Domain__Capability) },
  );
}
