// Registered in vitest.config.ts `setupFiles`, so it runs before every test file of every suite.
import fc from 'fast-check';
import { beforeEach, expect } from 'vitest';

// Every test must make at least one `expect` assertion: a test whose checks silently never run
// (an early return, a loop over an empty list, a callback never called, a fast-check property
// returning a boolean nobody reads) fails instead of counting as a pass.
beforeEach(() => {
  expect.hasAssertions();
});

// fast-check's default `size: 'small'` caps generated arrays, strings and byte arrays at about
// 10 elements even when a property asks for `maxLength: 256`; a property written for bodies past
// a 64-byte block then never sees one. With this, an explicit maxLength means what it says
// (small values are still generated and shrinking still works). Arbitraries without a maxLength
// keep the small default: give them explicit lengths where size matters.
fc.configureGlobal({ ...fc.readConfigureGlobal(), defaultSizeToMaxWhenMaxSpecified: true });
