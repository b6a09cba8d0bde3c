import { ValidationError } from '@almanac/core';
import { expect } from 'vitest';
import type { SuiteRun } from './context';
import { expectError, rejection } from './context';

/** Storage classes, tags, bucket versioning and posture. */
export function registerSettingTests(run: SuiteRun): void {
  const { suite, key } = run;

  suite.test(
    'sets the storage class on write and changes it later',
    async (storage) => {
      const classes = storage.capabilities.storageClasses;
      const initial = classes[1] ?? (classes[0] as string);
      const later = classes[0] as string;
      const k = key('storage-class.txt');
      await storage.write(k, 'cold', { storageClass: initial });
      expect((await storage.stat(k)).storageClass).toBe(initial);
      await storage.setStorageClass(k, later);
      expect((await storage.stat(k)).storageClass).toBe(later);
      expectError(await rejection(storage.write(k, 'x', { storageClass: 'NO_SUCH_CLASS' })), ValidationError);
    },
    { id: 'storage-class', needs: ['storageClass'] },
  );

  suite.test(
    'sets and reads tags',
    async (storage) => {
      const k = key('tags.txt');
      await storage.write(k, 'tagged');
      expect(await storage.getTags(k)).toEqual({});
      await storage.setTags(k, { team: 'data', tier: 'gold' });
      expect(await storage.getTags(k)).toEqual({ team: 'data', tier: 'gold' });
      await storage.setTags(k, { team: 'ops' });
      expect(await storage.getTags(k)).toEqual({ team: 'ops' });
    },
    { id: 'tags', needs: ['tags'] },
  );

  suite.test(
    'keeps versions of overwritten objects',
    async (storage) => {
      run.rememberVersioning(await storage.getVersioning());
      await storage.setVersioning(true);
      expect(await storage.getVersioning()).toBe(true);
      const k = key('versioned.txt');
      await storage.write(k, 'v1');
      await storage.write(k, 'v2');
      const versions = [];
      for await (const version of storage.listVersions({ prefix: k })) if (version.key === k) versions.push(version);
      expect(versions.length).toBeGreaterThanOrEqual(2);
      expect(versions.filter((version) => version.isLatest)).toHaveLength(1);
      expect(new Set(versions.map((version) => version.versionId)).size).toBe(versions.length);
    },
    { id: 'versioning', needs: ['versioning'] },
  );

  suite.test(
    'returns well-formed findings',
    async (storage) => {
      const findings = await storage.posture();
      expect(Array.isArray(findings)).toBe(true);
      for (const finding of findings) {
        expect(typeof finding.rule).toBe('string');
        expect(['info', 'low', 'medium', 'high']).toContain(finding.severity);
        expect(typeof finding.passed).toBe('boolean');
      }
    },
    { id: 'posture', needs: ['posture'] },
  );
}
