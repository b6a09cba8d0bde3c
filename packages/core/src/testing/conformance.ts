import { afterAll, beforeAll, describe, it } from 'vitest';
import type { TestContext } from 'vitest';

/**
 * The one option shape of every domain's conformance suite (`runStorageConformance`,
 * `describeCalendarConformance`, …). Domains extend it with their own knobs.
 *
 * @typeParam S - what the suite tests, usually the domain facade.
 * @typeParam F - what `create` is given, e.g. a fixture to seed; `void` when nothing.
 */
export interface ConformanceOptions<S, F = void> {
  /** Shown in the suite's title, e.g. the adapter's name. */
  readonly name: string;
  /** Builds the subject: once per suite or once per test, as the domain suite decides. */
  readonly create: (fixture: F) => S | Promise<S>;
  /** Disposes of a subject `create` built (stop an emulator, drop a seeded calendar). */
  readonly destroy?: ((subject: S) => void | Promise<void>) | undefined;
  /**
   * Tests to skip: ids or names (keep the reason next to the list), or a predicate on the
   * test's full title (`[id] name`, or the name when the test has no id).
   */
  readonly skip?: readonly string[] | ((testName: string) => boolean) | undefined;
}

/** How a domain suite runs its tests; chosen by the domain, not by the adapter under test. */
export interface ConformanceSettings<S, F = void> {
  /**
   * `'suite'` (default): one subject for the whole suite, created before the first test and
   * destroyed after the last. `'test'`: a fresh subject per test, destroyed after it.
   */
  readonly scope?: 'suite' | 'test' | undefined;
  /** Handed to `options.create`. */
  readonly fixture?: F | undefined;
  /** Answers `needs` of {@link ConformanceTestOptions}: whether the subject supports a capability. */
  readonly supports?: ((subject: S, capability: string) => boolean) | undefined;
}

/** Per-test options of {@link ConformanceSuite.test}. */
export interface ConformanceTestOptions<S> {
  /** Short stable id (shown as `[id]` in the title), usable in `skip`. */
  readonly id?: string | undefined;
  /** Capabilities the test needs; it is skipped, naming the missing ones, when the subject lacks any. */
  readonly needs?: readonly string[] | undefined;
  /** Any other runtime condition: returns the reason to skip, or `undefined` to run. */
  readonly gate?: ((subject: S) => string | undefined) | undefined;
  /** Timeout of this test, in ms (vitest's default otherwise). */
  readonly timeout?: number | undefined;
}

/** What {@link describeConformance} hands to the domain's `register` function. */
export interface ConformanceSuite<S> {
  /** Registers one test; its body gets the subject and vitest's test context. */
  test(name: string, body: (subject: S, context: TestContext) => unknown, options?: ConformanceTestOptions<S>): void;
  /** Groups tests under a nested title (a `describe`). */
  group(name: string, register: () => void): void;
  /** Runs after each subject is created, before any test uses it (e.g. pick a random key prefix). */
  afterCreate(hook: (subject: S) => unknown): void;
  /** Runs before each subject is destroyed (e.g. delete what the tests wrote); `destroy` runs even if it fails. */
  beforeDestroy(hook: (subject: S) => unknown): void;
}

function checkOptions(domain: string, options: ConformanceOptions<unknown, unknown>): void {
  const problems: string[] = [];
  if (typeof domain !== 'string' || domain === '') problems.push('domain must be a non-empty string');
  if (typeof options !== 'object' || options === null) throw new TypeError('describeConformance: options must be an object');
  if (typeof options.name !== 'string' || options.name === '') problems.push('options.name must be a non-empty string');
  if (typeof options.create !== 'function') problems.push('options.create must be a function');
  if (options.destroy !== undefined && typeof options.destroy !== 'function') problems.push('options.destroy must be a function');
  const skip = options.skip;
  if (skip !== undefined && typeof skip !== 'function' && !(Array.isArray(skip) && skip.every((entry) => typeof entry === 'string'))) {
    problems.push('options.skip must be a list of test ids or names, or a function');
  }
  if (problems.length > 0) throw new TypeError(`describeConformance: ${problems.join('; ')}`);
}

/**
 * Registers a domain's conformance suite with vitest under `<domain> conformance: <name>`, with
 * the behaviour every domain shares: skipping by id or name (`options.skip`, reported as
 * skipped), capability gates (`needs`, skipped at run time naming what is missing), and the
 * subject's lifecycle per suite or per test (`settings.scope`), with `destroy` always called
 * for a subject that was created. Call it at the top level of a test file.
 */
export function describeConformance<S, F = void>(
  domain: string,
  options: ConformanceOptions<S, F>,
  register: (suite: ConformanceSuite<S>) => void,
  settings: ConformanceSettings<S, F> = {},
): void {
  checkOptions(domain, options as ConformanceOptions<unknown, unknown>);
  const scope = settings.scope ?? 'suite';
  const skip = options.skip;
  const skipList = typeof skip === 'function' ? undefined : new Set(skip ?? []);
  const skipped = (id: string | undefined, name: string, title: string): boolean =>
    typeof skip === 'function' ? skip(title) : (skipList as Set<string>).has(title) || (skipList as Set<string>).has(name) || (id !== undefined && (skipList as Set<string>).has(id));
  const afterCreate: ((subject: S) => unknown)[] = [];
  const beforeDestroy: ((subject: S) => unknown)[] = [];

  const create = async (): Promise<S> => {
    const subject = await options.create(settings.fixture as F);
    try {
      for (const hook of afterCreate) await hook(subject);
    } catch (error) {
      await dispose(subject);
      throw error;
    }
    return subject;
  };

  const dispose = async (subject: S): Promise<void> => {
    try {
      for (const hook of beforeDestroy) await hook(subject);
    } finally {
      await options.destroy?.(subject);
    }
  };

  const skipReason = (subject: S, test: ConformanceTestOptions<S>): string | undefined => {
    const needs = test.needs ?? [];
    if (needs.length > 0) {
      if (settings.supports === undefined) throw new TypeError('describeConformance: a test declares `needs` but settings.supports is not set');
      const supports = settings.supports;
      const missing = needs.filter((capability) => !supports(subject, capability));
      if (missing.length > 0) return `${options.name} does not support ${missing.join(', ')}`;
    }
    return test.gate?.(subject);
  };

  let shared: { subject: S } | undefined;

  const suite: ConformanceSuite<S> = {
    test(name, body, test = {}) {
      const title = test.id === undefined ? name : `[${test.id}] ${name}`;
      const timeout = test.timeout;
      if (skipped(test.id, name, title)) {
        it.skip(title, () => {});
        return;
      }
      const run = async (context: TestContext) => {
        if (scope === 'suite') {
          if (shared === undefined) throw new Error(`${domain} conformance: the subject was not created (see the suite's beforeAll failure)`);
          const reason = skipReason(shared.subject, test);
          if (reason !== undefined) context.skip(reason);
          await body(shared.subject, context);
          return;
        }
        const subject = await create();
        try {
          const reason = skipReason(subject, test);
          if (reason !== undefined) context.skip(reason);
          await body(subject, context);
        } finally {
          await dispose(subject);
        }
      };
      if (timeout === undefined) it(title, run);
      else it(title, run, timeout);
    },
    group(name, registerGroup) {
      describe(name, registerGroup);
    },
    afterCreate(hook) {
      afterCreate.push(hook);
    },
    beforeDestroy(hook) {
      beforeDestroy.push(hook);
    },
  };

  describe(`${domain} conformance: ${options.name}`, () => {
    if (scope === 'suite') {
      beforeAll(async () => {
        shared = { subject: await create() };
      });
      afterAll(async () => {
        const current = shared;
        shared = undefined;
        if (current !== undefined) await dispose(current.subject);
      });
    }
    register(suite);
  });
}
