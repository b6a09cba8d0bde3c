import { perform } from './kernel';
import type { StorageKernel } from './kernel';
import type { Storage } from './types';

/** The bucket-level calls of the facade: versioning and posture. */
export function bucketOperations(kernel: StorageKernel): Pick<Storage, 'getVersioning' | 'setVersioning' | 'posture'> {
  const { runner, input } = kernel;
  const versioning = { capability: 'versioning', idempotent: true } as const;
  return {
    getVersioning: (options) =>
      perform(
        kernel,
        'getVersioning',
        { options },
        input.call,
        (_call, context) => runner.require('versioning', 'getVersioning').getVersioning({ signal: context.signal }),
        versioning,
      ),

    setVersioning: (enabled, options) =>
      perform(
        kernel,
        'setVersioning',
        { enabled, options },
        input.enabled,
        (call, context) => runner.require('versioning', 'setVersioning').setVersioning({ enabled: call.enabled, signal: context.signal }),
        versioning,
      ),

    posture: (options) =>
      perform(
        kernel,
        'posture',
        { options },
        input.call,
        (_call, context) => runner.require('posture', 'posture').posture({ signal: context.signal }),
        { capability: 'posture', idempotent: true },
      ),
  };
}
