// What a package registers with the adversarial suite. A new domain package adds one file
// next to this one (targets/<package>.ts) exporting an `AdversarialTargets`, and one line in
// targets/index.ts; every check then runs over its inputs.
import type fc from 'fast-check';
import type { CanaryCapture } from '../harness/canary';
import type { HostileText } from '../harness/hostile';

/** Handed to every target: where logs and errors go, so the canary scan sees them. */
export interface TargetContext {
  /** Pass `capture.logger()` wherever a package takes a logger. */
  readonly capture: CanaryCapture;
}

/**
 * A public function that takes free text or parses a format. It is called with every
 * hostile 1 MB text and must return, or throw an `AlmanacError`, within the time bound.
 */
export interface TextTarget<I = unknown> {
  /** `<package>: <function>`, e.g. `core: redactor.redactString`. */
  readonly name: string;
  /** Builds the call's input from the text, untimed (e.g. wraps it in a `Response`). */
  prepare?(text: string, ctx: TargetContext): I | Promise<I>;
  /** The timed call. */
  run(input: I, ctx: TargetContext): unknown;
  /** Names of hostile texts that do not apply (say why in a comment). */
  readonly skip?: readonly string[];
  /** Format-specific hostile texts, e.g. an iCalendar feed that never ends. */
  readonly extraTexts?: readonly HostileText[];
  /** Time bounds in ms for one 1 MB input, overriding the suite's defaults. */
  readonly budgetMs?: { readonly sparse?: number; readonly dense?: number };
}

/** One public operation of a facade and the hostile arguments it is called with. */
export interface FacadeOperation<S> {
  /** Argument lists to call it with. */
  readonly args: fc.Arbitrary<readonly unknown[]>;
  /** Makes the call; the result may be a promise or an async iterable (a few items are read). */
  call(subject: S, args: readonly unknown[]): unknown;
}

/**
 * A facade and its public operations. Every operation, called with hostile arguments, must
 * resolve or fail with an `AlmanacError` (never a raw `TypeError`), and never hang.
 */
export interface FacadeTarget<S = unknown> {
  /** `<package> <factory>(<adapter>)`, e.g. `@almanac/identity createMemoryIdentity`. */
  readonly name: string;
  /** A fresh subject; log through `ctx.capture.logger()`. */
  create(ctx: TargetContext): S | Promise<S>;
  /** Releases what `create` opened. */
  destroy?(subject: S): void | Promise<void>;
  /** Operations by name. */
  readonly operations: Readonly<Record<string, FacadeOperation<S>>>;
  /** fast-check runs per operation. Default 40. */
  readonly numRuns?: number;
  /**
   * Operations known to break the property, with what they throw: their tests are expected to
   * fail (`it.fails`), so fixing one turns its test red until the entry is removed. Each entry
   * is a defect to fix, listed in docs/security.md; never a way to silence a new finding.
   */
  readonly knownIssues?: Readonly<Record<string, string>>;
}

/** A `fetch` the traversal check hands to adapters: it records every URL and answers `{}`. */
export type RecordingFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * An adapter whose operations put ids or paths into URLs or file paths. Each operation is
 * called with every traversal id (`..`, `%2e%2e`, `a/../b`, …): it must fail with an
 * `AlmanacError` or reach only URLs without dot segments, and never touch a file outside its
 * root.
 */
export interface TraversalTarget<S = unknown> {
  /** `<package> <adapter>`, e.g. `@almanac/bookings google`. */
  readonly name: string;
  /** The subject, sending HTTP through `fetch` (an adapter option); file adapters get a fresh root dir. */
  create(ctx: TargetContext & { readonly fetch: RecordingFetch; readonly root: string }): S | Promise<S>;
  /** Operations by name, each taking the hostile id. */
  readonly operations: Readonly<Record<string, (subject: S, id: string) => unknown>>;
}

/** Everything one package registers. */
export interface AdversarialTargets {
  /** The package, e.g. `@almanac/core`. */
  readonly package: string;
  // Each target has its own input or subject type; `any` lets one list hold them all.
  /** Its free-text and format-parsing functions. */
  // biome-ignore lint/suspicious/noExplicitAny: heterogeneous inputs, see above.
  readonly text?: readonly TextTarget<any>[];
  /** Its facades. */
  // biome-ignore lint/suspicious/noExplicitAny: heterogeneous subjects.
  readonly facades?: readonly FacadeTarget<any>[];
  /** Its adapters that build URLs or file paths from ids. */
  // biome-ignore lint/suspicious/noExplicitAny: heterogeneous subjects.
  readonly traversal?: readonly TraversalTarget<any>[];
}

/** An operation that calls `subject[name](...args)`. */
export function method<S>(name: string, args: fc.Arbitrary<readonly unknown[]>): FacadeOperation<S> {
  return {
    args,
    call: (subject, list) => (subject as Record<string, (...a: unknown[]) => unknown>)[name]!(...list),
  };
}
