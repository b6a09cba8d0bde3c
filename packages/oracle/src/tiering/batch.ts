import { OracleTypeError } from '../errors';
import { compileTiering, evaluateObject, type TieringContext } from './cost-model';
import { addToSummary, copySummary, emptySummary } from './summary';
import type { StorageObject, TieringOptions, TieringResult, TieringSummary } from './types';

/**
 * A single-use streaming run: iterate it with `for await`, then read `summary()`. Objects are
 * evaluated one at a time as they are pulled and never collected, so memory stays constant.
 */
export interface TieringRun<T extends StorageObject = StorageObject> extends AsyncIterable<TieringResult<T>> {
  /** Totals so far; complete once iteration has finished (`done`). Returns a snapshot copy. */
  summary(): TieringSummary;
  /** True once the source has been exhausted. */
  readonly done: boolean;
  /** Consumes the rest of the run without yielding and resolves to the final summary. */
  finish(): Promise<TieringSummary>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Source<T> = Iterable<T> | AsyncIterable<T>;

class Run<T extends StorageObject> implements TieringRun<T> {
  #ctx: TieringContext;
  #source: Source<T>;
  #summary = emptySummary();
  #index = 0;
  #started = false;
  #done = false;

  constructor(source: Source<T>, ctx: TieringContext) {
    this.#source = source;
    this.#ctx = ctx;
  }

  get done(): boolean {
    return this.#done;
  }

  summary(): TieringSummary {
    return copySummary(this.#summary);
  }

  async finish(): Promise<TieringSummary> {
    for await (const _ of this) {
      // Draining is the point: totals accumulate as results are produced.
    }
    return this.summary();
  }

  #process(item: T): TieringResult<T> {
    const r = evaluateObject(this.#ctx, item, this.#index) as Mutable<TieringResult<T>>;
    this.#index += 1;
    addToSummary(this.#summary, r, item.sizeBytes, item.ageDays);
    // Attach in place instead of spreading: one allocation per object matters at millions.
    r.object = item;
    return r;
  }

  [Symbol.asyncIterator](): AsyncIterator<TieringResult<T>> {
    if (this.#started) throw new OracleTypeError('objects', 'a tiering run can be iterated only once');
    this.#started = true;
    const src = this.#source as Partial<AsyncIterable<T> & Iterable<T>>;
    const end = (): IteratorResult<TieringResult<T>> => {
      this.#done = true;
      return { done: true, value: undefined };
    };
    const asyncFactory = src[Symbol.asyncIterator];
    if (typeof asyncFactory === 'function') {
      const it = asyncFactory.call(src);
      return {
        next: async () => {
          const n = await it.next();
          return n.done ? end() : { done: false, value: this.#process(n.value) };
        },
        return: async () => {
          await it.return?.();
          return { done: true, value: undefined };
        },
      };
    }
    const it = (src as Iterable<T>)[Symbol.iterator]();
    // Sync sources skip an async generator: one resolved promise per item is all `for await` needs.
    return {
      next: () => {
        try {
          const n = it.next();
          return Promise.resolve(n.done ? end() : { done: false, value: this.#process(n.value) });
        } catch (err) {
          return Promise.reject(err);
        }
      },
      return: () => {
        it.return?.();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }
}

/**
 * Streams recommendations for many objects (sync or async source, e.g. a paginated inventory
 * listing) in constant memory. Options are validated now; each object when it is pulled, with
 * errors naming it as `objects[i].field`.
 *
 * @example
 * const run = recommendStorageClasses(listObjects(), { provider: 'aws' });
 * for await (const r of run) if (r.storageClass !== r.currentClass) plan(r.object, r.storageClass);
 * const { monthlySavings, byTargetClass } = run.summary();
 */
export function recommendStorageClasses<T extends StorageObject>(objects: Iterable<T> | AsyncIterable<T>, options: TieringOptions): TieringRun<T> {
  const ctx = compileTiering(options);
  const src = objects as Partial<AsyncIterable<T> & Iterable<T>> | null | undefined;
  if (src === null || typeof src !== 'object' || (typeof src[Symbol.asyncIterator] !== 'function' && typeof src[Symbol.iterator] !== 'function')) {
    throw new OracleTypeError('objects', 'expected an Iterable or AsyncIterable of objects');
  }
  return new Run(objects, ctx);
}
