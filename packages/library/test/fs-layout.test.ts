import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsStorageProvider, migrateFsLayout } from '../src/adapters/fs';
import { encodeName } from '../src/adapters/fs/key-path';
import { decodeChild, naturalName, needsEscape } from '../src/adapters/fs/natural';
import type { ListEntry, StorageProvider } from '../src/spec';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'almanac-fs-layout-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);
const text = async (provider: StorageProvider, key: string) => new Response((await provider.read({ key })).body).text();
async function listAll(provider: StorageProvider): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await provider.listPage({ prefix: '', limit: 2, ...(cursor ? { cursor } : {}) });
    out.push(...page.entries.map((e: ListEntry) => (e.type === 'object' ? e.key : e.prefix)));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return out;
}

/**
 * Writes an object exactly as @almanac/library 0.1 laid it out: every directory segment
 * percent-encoded with a trailing `%2F`, the data under its encoded name, and a
 * `.<name>.meta.json` sidecar next to it recording the data file's inode.
 */
async function writeLegacy(key: string, content: string, extra: { contentType?: string; metadata?: Record<string, string> } = {}): Promise<void> {
  const segments = key.split('/');
  const last = segments.pop() as string;
  let dir = root;
  for (const segment of segments) {
    dir = join(dir, encodeName(`${segment}/`));
    await mkdir(dir, { recursive: true });
    if (encodeName(`${segment}/`).includes('%%')) await writeFile(join(dir, '.segment'), `${segment}/`);
  }
  const name = encodeName(last);
  await writeFile(join(dir, name), content);
  const info = await stat(join(dir, name), { bigint: true });
  const sidecar = { v: 1, key, ino: info.ino.toString(), size: Number(info.size), sha256: 'f'.repeat(64), metadata: extra.metadata ?? {}, tags: { from: 'v0.1' }, ...(extra.contentType ? { contentType: extra.contentType } : {}) };
  await writeFile(join(dir, `.${name}.meta.json`), JSON.stringify(sidecar));
}

const LONG = 'z'.repeat(300);
const LEGACY_KEYS = ['a', 'a/b', 'share/report.csv', 'share/sub/deep.txt', 'sp ace/100%', 'x/', `${LONG}/leaf`, 'ünï/cødé'];

describe('fs natural layout', () => {
  it('stores a/b/c.txt at <root>/a/b/c.txt and keeps metadata under .almanac', async () => {
    const provider = createFsStorageProvider({ root });
    await provider.write({ key: 'a/b/c.txt', body: bytes('hi'), contentType: 'text/plain' });
    expect(await readFile(join(root, 'a', 'b', 'c.txt'), 'utf8')).toBe('hi');
    expect((await readdir(root)).sort()).toEqual(['.almanac', 'a']);
    expect(await readdir(join(root, 'a', 'b'))).toEqual(['c.txt']);
  });

  it('escapes an object whose name a directory takes, and only that one', async () => {
    const provider = createFsStorageProvider({ root });
    await provider.write({ key: 'a', body: bytes('object a'), metadata: { m: '1' } });
    expect(await readFile(join(root, 'a'), 'utf8')).toBe('object a');
    await provider.write({ key: 'a/b', body: bytes('object a/b') });
    // The directory keeps the natural name; the object moved to its escaped name with its metadata.
    expect((await readdir(root)).sort()).toEqual(['.%a', '.almanac', 'a']);
    expect(await readFile(join(root, 'a', 'b'), 'utf8')).toBe('object a/b');
    expect(await text(provider, 'a')).toBe('object a');
    expect((await provider.stat({ key: 'a' })).metadata).toEqual({ m: '1' });
    expect(await listAll(provider)).toEqual(['a', 'a/b']);
    // Rewriting `a` while the directory exists lands on the escaped name, never two copies.
    await provider.write({ key: 'a', body: bytes('v2') });
    expect(await text(provider, 'a')).toBe('v2');
    expect(await listAll(provider)).toEqual(['a', 'a/b']);
    await provider.delete({ key: 'a' });
    expect(await listAll(provider)).toEqual(['a/b']);
  });

  it('lists a folder it did not write (an existing tree) under its natural keys', async () => {
    await mkdir(join(root, 'photos', '2024'), { recursive: true });
    await writeFile(join(root, 'photos', '2024', 'cat.jpg'), 'meow');
    await writeFile(join(root, '.env'), 'X=1');
    const provider = createFsStorageProvider({ root });
    expect(await listAll(provider)).toEqual(['.env', 'photos/2024/cat.jpg']);
    expect(await text(provider, 'photos/2024/cat.jpg')).toBe('meow');
    // Nothing was created in a tree that was only read.
    expect((await readdir(root)).sort()).toEqual(['.env', 'photos']);
  });

  it('escapes the names a filesystem cannot hold: empty segments, over 255 bytes, its own folder', async () => {
    const provider = createFsStorageProvider({ root });
    const keys = ['.almanac', '.almanac/x', 'd//e', 'f/', `g/${'é'.repeat(200)}`, '.%lookalike'];
    for (const key of keys) await provider.write({ key, body: bytes(key) });
    for (const key of keys) expect(await text(provider, key)).toBe(key);
    expect(await listAll(provider)).toEqual([...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    expect(await readdir(join(root, 'd'))).toEqual(['.%%2F']);
    expect(await readdir(join(root, 'f'))).toEqual(['.%%']);
  });
});

describe('fs escaping rules per platform', () => {
  it('escapes on Windows what Windows cannot hold, and nothing of it on POSIX', () => {
    for (const name of ['a:b', 'q?', 'x*', 'back\\slash', 'pipe|', 'lt<', 'gt>', 'quote"', 'dot.', 'space ', 'CON', 'nul.txt', 'COM1', 'lpt9.log']) {
      expect(needsEscape(name, false, 'win32')).toBe(true);
      expect(needsEscape(name, false, 'linux')).toBe(false);
      const escaped = naturalName(name, 'object', false, 'win32');
      expect(escaped.startsWith('.%')).toBe(true);
      expect(escaped).not.toMatch(/[<>:"\\|?*]|[. ]$/);
      expect(decodeChild(escaped, false, false, 'win32')).toEqual({ kind: 'key', sortKey: name, escaped: true });
    }
    for (const name of ['report.csv', 'CONSOLE', 'a.b', '.env', 'ünï']) expect(needsEscape(name, false, 'win32')).toBe(false);
  });

  it('decodes only canonical names: an escaped directory that needs no escape, or a non-NFC name, is not a key', () => {
    expect(decodeChild('.%plain%2F', true, false, 'linux')).toEqual({ kind: 'skip' });
    expect(decodeChild('.%%2F', true, false, 'linux')).toEqual({ kind: 'key', sortKey: '/', escaped: true });
    expect(decodeChild('e\u0301', false, false, 'linux')).toEqual({ kind: 'skip' });
    expect(decodeChild('.almanac', true, true, 'linux')).toEqual({ kind: 'skip' });
    expect(decodeChild('.almanac', true, false, 'linux')).toEqual({ kind: 'key', sortKey: '.almanac/', escaped: false });
  });
});

describe('fs layout of 0.1 (percent-encoded folders)', () => {
  it('is migrated on first use: every object reads with its metadata, at its natural path', async () => {
    for (const key of LEGACY_KEYS) await writeLegacy(key, `content of ${key}`, { contentType: 'text/plain', metadata: { k: key } });
    await writeFile(join(root, 'share%2F', '.tmp-crashed'), 'partial write of 0.1');
    expect((await readdir(root)).sort()).toContain('share%2F');

    const provider = createFsStorageProvider({ root });
    for (const key of LEGACY_KEYS) {
      expect(await text(provider, key)).toBe(`content of ${key}`);
      const info = await provider.stat({ key });
      expect(info).toMatchObject({ contentType: 'text/plain', metadata: { k: key } });
      expect(await provider.getTags?.({ key })).toEqual({ from: 'v0.1' });
    }
    expect(await listAll(provider)).toEqual([...LEGACY_KEYS].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    expect(await readFile(join(root, 'share', 'report.csv'), 'utf8')).toBe('content of share/report.csv');
    expect(await readFile(join(root, 'sp ace', '100%'), 'utf8')).toBe('content of sp ace/100%');
    const top = await readdir(root);
    expect(top.filter((name) => name.includes('%2F'))).toEqual([]);
    expect(top.sort()).toEqual(['.%a', '.almanac', `.%${encodeName(`${LONG}/`)}`, 'a', 'share', 'sp ace', 'x', 'ünï'].sort());
    expect(await migrateFsLayout(root)).toEqual({ moved: 0, migrated: false });
  });

  it('resumes an interrupted migration (a sidecar already moved, its data not yet)', async () => {
    for (const key of LEGACY_KEYS) await writeLegacy(key, `content of ${key}`, { metadata: { k: key } });
    // The state a crash leaves between the two renames of one object.
    await mkdir(join(root, '.almanac', 'meta', 'share%2F'), { recursive: true });
    await writeFile(join(root, '.almanac', 'migrating'), '2\n');
    const { rename } = await import('node:fs/promises');
    await rename(join(root, 'share%2F', '.report.csv.meta.json'), join(root, '.almanac', 'meta', 'share%2F', '.report.csv.meta.json'));

    const result = await migrateFsLayout(root);
    expect(result.migrated).toBe(true);
    expect(result.moved).toBe(LEGACY_KEYS.length);
    const provider = createFsStorageProvider({ root });
    for (const key of LEGACY_KEYS) expect((await provider.stat({ key })).metadata).toEqual({ k: key });
    expect(await readdir(join(root, '.almanac'))).not.toContain('migrating');
  });
});
