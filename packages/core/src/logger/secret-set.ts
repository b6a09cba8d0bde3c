// The registered secret values of one redactor: bounded, so a long-lived client that
// registers a fresh token every hour (or an attacker who makes it register many) cannot
// make every later log line slower and slower.

/** Default number of registered secrets a redactor keeps. */
export const DEFAULT_MAX_SECRETS = 1000;

/**
 * A set of secret values that forgets the least recently registered one beyond `max`.
 * Registering a value again refreshes it, so the token a client uses on every request is
 * never the one forgotten. The list in masking order (longest first) is rebuilt only when
 * the set's members change, not on every masking call.
 */
export class SecretSet {
  private readonly values = new Set<string>();
  private ordered: readonly string[] | undefined = [];

  constructor(private readonly max: number) {}

  /** Registers `value`, or refreshes it if it is already known. */
  add(value: string): void {
    if (this.values.has(value)) {
      // Re-insert: Set iteration order is insertion order, which is our recency order.
      this.values.delete(value);
      this.values.add(value);
      return;
    }
    this.values.add(value);
    if (this.values.size > this.max) {
      const oldest = this.values.values().next();
      if (!oldest.done) this.values.delete(oldest.value);
    }
    this.ordered = undefined;
  }

  /** Number of values kept. */
  get size(): number {
    return this.values.size;
  }

  /** The values, longest first, so a secret containing another is masked whole. */
  inMaskingOrder(): readonly string[] {
    if (this.ordered === undefined) this.ordered = [...this.values].sort((a, b) => b.length - a.length);
    return this.ordered;
  }
}
