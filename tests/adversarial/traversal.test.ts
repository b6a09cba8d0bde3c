// Traversal: every registered adapter operation that puts an id or a path into a URL or a
// file path, called with hostile ids. A call must fail with an AlmanacError or send only
// URLs without dot segments (raw or percent-encoded), and a file adapter must never touch
// anything outside its root. See docs/security.md.
import { AlmanacError } from '@almanac/core';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CanaryCapture } from './harness/canary';
import { ALL_TARGETS } from './targets/index';
import type { RecordingFetch, TraversalTarget } from './targets/types';

/** Ids that have escaped paths before, raw and encoded. */
const TRAVERSAL_IDS = ['.', '..', '../..', '../admin', 'a/../../b', './x', '%2e%2e', '%2E%2e%2Fadmin', '..%2fadmin', '..\\..\\admin', '..;x', '/etc/passwd', 'a/./b'];

const DOT_SEGMENT = /^(?:\.|%2e){1,2}(?:;.*)?$/i;

/** Whether the raw URL's path has a segment URL parsing would resolve (`.`, `..`, `%2e`…, or via `\`). */
function hasDotSegment(url: string): boolean {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  return path.split(/[/\\]/).some((segment) => DOT_SEGMENT.test(segment));
}

const capture = new CanaryCapture();
const targets = ALL_TARGETS.flatMap((pkg) => pkg.traversal ?? []) as TraversalTarget<unknown>[];
const cases = targets.flatMap((target) =>
  Object.keys(target.operations).flatMap((operation) => TRAVERSAL_IDS.map((id) => [target.name, operation, id] as const)),
);
const workspace = mkdtempSync(join(tmpdir(), 'almanac-traversal-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('traversal ids and paths', () => {
  it('has registered targets', () => {
    expect(targets.length).toBeGreaterThan(0);
  });

  it.each(cases)('%s %s ← %j', async (targetName, operation, id) => {
    const target = targets.find((t) => t.name === targetName)!;
    const urls: string[] = [];
    const fetch: RecordingFetch = async (input) => {
      urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    // A root with a sibling holding a secret: escaping the root would find it.
    const dir = mkdtempSync(join(workspace, 'case-'));
    const root = join(dir, 'root');
    mkdirSync(join(root, 'inside'), { recursive: true });
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'secret.txt'), 'outside-secret');
    const subject = await target.create({ capture, fetch, root });
    let error: unknown;
    try {
      await target.operations[operation]!(subject, id);
    } catch (caught) {
      error = caught;
      capture.error(caught);
    }
    if (error !== undefined) expect(AlmanacError.isInstance(error), `threw ${String(error)}`).toBe(true);
    expect(urls.filter(hasDotSegment)).toEqual([]);
    expect(readdirSync(join(dir, 'outside'))).toEqual(['secret.txt']);
    expect(readdirSync(dir).sort()).toEqual(['outside', 'root']);
  });

  it('leaked no canary in errors', () => {
    expect(capture.leaks()).toEqual([]);
  });
});
