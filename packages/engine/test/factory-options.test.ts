import { describe, expect, it } from 'vitest';
import { createAzureCompute } from '../src/adapters/azure/index';
import { createSimulatorCompute } from '../src/simulator/create';

type AnyFactory = (options?: unknown) => unknown;
const call = (factory: unknown, options?: unknown) => () => (factory as AnyFactory)(options);

describe('compute factories check their options', () => {
  it('createAzureCompute() without options names what it needs', () => {
    expect(call(createAzureCompute)).toThrow(
      expect.objectContaining({ code: 'config', message: 'createAzureCompute: options: must be an options object with subscriptionId, credential, got nothing' }),
    );
  });

  it('suggests the option a typo meant', () => {
    expect(call(createSimulatorCompute, { sead: 7 })).toThrow('options.sead: unknown option (did you mean "seed"?)');
  });
});
