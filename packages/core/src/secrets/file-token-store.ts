import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IntegrityError, ProviderError, ValidationError } from '../errors';
import { createSerialQueue } from './serial-queue';
import { type TokenStore, assertTokenKey, assertTokenValue } from './token-store';

/**
 * The file operations the file store performs. Swappable so tests can inject a crash
 * mid-write; production code should keep the defaults.
 */
export interface AtomicFileSystem {
  /** Reads the whole file as UTF-8; rejects with code `ENOENT` when it does not exist. */
  readFile(path: string): Promise<string>;
  /** Creates a new file (failing if it exists) with mode 0600, writes `data` and fsyncs it. */
  writeFile(path: string, data: string): Promise<void>;
  /** Atomically replaces `to` with `from`. */
  rename(from: string, to: string): Promise<void>;
  /** Deletes a file. */
  unlink(path: string): Promise<void>;
  /** Flushes a directory entry change (the rename) to disk. */
  syncDirectory(path: string): Promise<void>;
}

/** Options of {@link createFileTokenStore}. */
export interface FileTokenStoreOptions {
  /** The JSON file holding every token. Its directory is created (mode 0700) if missing. */
  path: string;
  /** Overrides of individual file operations, for fault-injection tests. */
  fileSystem?: Partial<AtomicFileSystem> | undefined;
}

const FILE_MODE = 0o600;
const FORMAT_VERSION = 1;
const PROVIDER = 'file-token-store';

/** The real file operations, with the fsyncs atomic replacement needs. */
const nodeAtomicFileSystem: AtomicFileSystem = Object.freeze<AtomicFileSystem>({
  readFile: (path) => readFile(path, 'utf8'),
  async writeFile(path, data) {
    const handle = await open(path, 'wx', FILE_MODE);
    try {
      // `open`'s mode is filtered by the umask; set it explicitly so it is exactly 0600.
      await handle.chmod(FILE_MODE);
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename,
  unlink,
  async syncDirectory(path) {
    // Windows cannot open a directory for fsync; there the rename is atomic but its durability is up to the OS.
    if (process.platform === 'win32') return;
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } catch (error) {
      // Some filesystems (certain network and FUSE mounts) do not support fsync on directories.
      if (!hasCode(error, 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP')) throw error;
    } finally {
      await handle.close();
    }
  },
});

/**
 * Creates a {@link TokenStore} backed by one JSON file with mode 0600.
 *
 * Each write goes to a temporary file in the same directory that is fsynced and then
 * renamed over the target, so a crash mid-write leaves the previous file intact.
 * Operations on one store are serialised, so concurrent `set` calls never lose updates.
 * Use a single store per file per process; separate processes writing the same file
 * are not coordinated (last writer wins). Store plaintext tokens only through
 * `createEncryptedTokenStore`.
 */
export function createFileTokenStore(options: FileTokenStoreOptions): TokenStore {
  if (typeof options !== 'object' || options === null || typeof options.path !== 'string' || options.path === '') {
    throw new ValidationError(undefined, [{ path: 'path', message: 'must be a non-empty file path' }]);
  }
  const target = options.path;
  const directory = dirname(target);
  const fs: AtomicFileSystem = { ...nodeAtomicFileSystem, ...options.fileSystem };
  const queue = createSerialQueue();

  const load = async (): Promise<Map<string, string>> => {
    let text: string;
    try {
      text = await fs.readFile(target);
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return new Map();
      throw new ProviderError(`Could not read token file ${target}`, { provider: PROVIDER, operation: 'read', cause: error });
    }
    return parseTokenFile(text, target);
  };

  const save = async (entries: Map<string, string>): Promise<void> => {
    const data = `${JSON.stringify({ version: FORMAT_VERSION, tokens: Object.fromEntries(entries) }, null, 2)}\n`;
    const temp = join(directory, `.${basename(target)}.${randomUUID()}.tmp`);
    try {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      await fs.writeFile(temp, data);
      await fs.rename(temp, target);
    } catch (error) {
      let cause: unknown = error;
      try {
        await fs.unlink(temp);
      } catch (cleanupError) {
        if (!hasCode(cleanupError, 'ENOENT')) cause = new AggregateError([error, cleanupError], 'write and cleanup failed');
      }
      throw new ProviderError(`Could not write token file ${target}`, { provider: PROVIDER, operation: 'write', cause });
    }
    try {
      await fs.syncDirectory(directory);
    } catch (error) {
      throw new ProviderError(`Wrote token file ${target} but could not flush its directory`, {
        provider: PROVIDER,
        operation: 'write',
        cause: error,
      });
    }
  };

  return {
    async get(key, callOptions) {
      assertTokenKey(key);
      return queue.run(async () => (await load()).get(key), callOptions?.signal);
    },
    async set(key, value, callOptions) {
      assertTokenKey(key);
      assertTokenValue(value);
      return queue.run(async () => {
        const entries = await load();
        entries.set(key, value);
        await save(entries);
      }, callOptions?.signal);
    },
    async delete(key, callOptions) {
      assertTokenKey(key);
      return queue.run(async () => {
        const entries = await load();
        if (!entries.delete(key)) return false;
        await save(entries);
        return true;
      }, callOptions?.signal);
    },
    async keys(callOptions) {
      return queue.run(async () => [...(await load()).keys()].sort(), callOptions?.signal);
    },
  };
}

/** Parses the file format, refusing anything unexpected rather than guessing. Never echoes contents. */
function parseTokenFile(text: string, target: string): Map<string, string> {
  const corrupt = (detail: string) =>
    new IntegrityError(`Token file ${target} is corrupt: ${detail}`, { provider: PROVIDER, operation: 'read' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The SyntaxError quotes file contents (tokens), so it is not kept as the cause.
    throw corrupt('not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw corrupt('not a JSON object');
  const { version, tokens } = parsed as { version?: unknown; tokens?: unknown };
  if (version !== FORMAT_VERSION) throw corrupt('unsupported format version');
  if (typeof tokens !== 'object' || tokens === null || Array.isArray(tokens)) throw corrupt('"tokens" is not an object');
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(tokens)) {
    if (typeof value !== 'string') throw corrupt('a token value is not a string');
    entries.set(key, value);
  }
  return entries;
}

function hasCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes((error as { code?: unknown }).code as string);
}
