import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { ValidationError, silentLogger } from '@almanac/core';
import type { Logger } from '@almanac/core';
import { createMemoryLoginHistory } from './history-memory';
import type { LoginHistoryStore, LoginRecord } from './types';

/** Options of {@link createFileLoginHistory}. */
export interface FileLoginHistoryOptions {
  /** Logins kept in memory per user for scoring (the file keeps everything). Default 1,000. */
  readonly maxPerUser?: number | undefined;
  /** Told about lines that could not be read (a torn last line after a crash). */
  readonly logger?: Logger | undefined;
}

/** A JSONL {@link LoginHistoryStore}; `close()` releases its file handle. */
export interface FileLoginHistory extends LoginHistoryStore {
  /** The file. */
  readonly path: string;
  /** Closes the append handle. */
  close(): Promise<void>;
}

function isRecord(value: unknown): value is LoginRecord {
  const r = value as Partial<LoginRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.userId === 'string' &&
    typeof r.at === 'string' &&
    !Number.isNaN(Date.parse(r.at)) &&
    typeof r.score === 'number' &&
    typeof r.anomalous === 'boolean' &&
    typeof r.action === 'string'
  );
}

/**
 * Creates a login history persisted as JSONL (one login per line, file mode 0600). The file is
 * read once, on first use, into an in-memory index that answers queries; appends go to both.
 * One writer process per file.
 */
export function createFileLoginHistory(path: string, options: FileLoginHistoryOptions = {}): FileLoginHistory {
  if (typeof path !== 'string' || path.length === 0) throw new ValidationError(undefined, [{ path: 'path', message: 'must be a non-empty file path' }]);
  const logger = options.logger ?? silentLogger;
  const index = createMemoryLoginHistory(options.maxPerUser === undefined ? {} : { maxPerUser: options.maxPerUser });
  let loaded: Promise<void> | undefined;
  let handle: Promise<FileHandle> | undefined;
  let writes: Promise<unknown> = Promise.resolve();

  const load = () => {
    loaded ??= (async () => {
      const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
      let lineNo = 0;
      try {
        for await (const line of lines) {
          lineNo++;
          if (line.length === 0) continue;
          let value: unknown;
          try {
            value = JSON.parse(line);
          } catch {
            value = undefined;
          }
          if (isRecord(value)) await index.append(value);
          else logger.warn('login history: unreadable line skipped', { path, line: lineNo });
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    })();
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };

  const appendHandle = () => {
    handle ??= (async () => {
      await mkdir(dirname(path), { recursive: true });
      const file = await open(path, 'a+', 0o600);
      // A crash can leave a torn last line; end it so the next record starts on a line of its own.
      const { size } = await file.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await file.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) await file.write('\n');
      }
      return file;
    })();
    handle.catch(() => {
      handle = undefined;
    });
    return handle;
  };

  return {
    path,
    async append(record) {
      await load();
      const write = writes.then(async () => (await appendHandle()).write(`${JSON.stringify(record)}\n`));
      writes = write.catch(() => undefined);
      await write;
      await index.append(record);
    },
    async recent(userId, query) {
      await load();
      return index.recent(userId, query);
    },
    async lastLogin(userId) {
      await load();
      return index.lastLogin(userId);
    },
    scan(query) {
      return {
        async *[Symbol.asyncIterator]() {
          await load();
          yield* index.scan(query);
        },
      };
    },
    async close() {
      const current = handle;
      handle = undefined;
      if (current !== undefined) await (await current).close();
    },
  };
}
