import { signalOf } from './kernel';
import type { StorageKernel } from './kernel';
import type { Storage } from './types';

/** The bucket-level calls of the facade: versioning and posture. */
export function bucketOperations(kernel: StorageKernel): Pick<Storage, 'getVersioning' | 'setVersioning' | 'posture'> {
  const { runner, input } = kernel;
  return {
    getVersioning: (options) =>
      runner.run(
        'getVersioning',
        { options },
        input.call,
        (_call, context) => runner.require('versioning', 'getVersioning').getVersioning({ signal: context.signal }),
        { signal: signalOf(options), capability: 'versioning', idempotent: true },
      ),

    setVersioning: (enabled, options) =>
      runner.run(
        'setVersioning',
        { enabled, options },
        input.enabled,
        (call, context) => runner.require('versioning', 'setVersioning').setVersioning({ enabled: call.enabled, signal: context.signal }),
        { signal: signalOf(options), capability: 'versioning', idempotent: true },
      ),

    posture: (options) =>
      runner.run(
        'posture',
        { options },
        input.call,
        (_call, context) => runner.require('posture', 'posture').posture({ signal: context.signal }),
        { signal: signalOf(options), capability: 'posture', idempotent: true },
      ),
  };
}
