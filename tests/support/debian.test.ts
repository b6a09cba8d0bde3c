import { describe, expect, it } from 'vitest';
import { ensureDebianPackage } from './debian';

describe('ensureDebianPackage', () => {
  it('finds a binary that is already installed and reports its path', () => {
    const status = ensureDebianPackage('dash', 'sh');
    expect(status).toEqual({ available: true, path: expect.stringMatching(/\/sh$/) });
  });
});
