import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ValidationError } from '@almanac/core';
import type { AuditStore } from './types';

/** Options of {@link createFileAuditStore}. */
export interface FileAuditStoreOptions {
  /** `fdatasync` after every append, so an acknowledged entry survives a crash. Default `true`. */
  readonly durable?: boolean | undefined;
}

/** A JSONL {@link AuditStore} on a local file; `close()` releases its file handle. */
export interface FileAuditStore extends AuditStore {
  /** The file. */
  readonly path: string;
  /** Closes the append handle (reopened on the next append). */
  close(): Promise<void>;
}

const TAIL_CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Creates a JSONL audit store: one entry per line, appended with a single `write` on a file
 * opened in append mode (`O_APPEND`), created with mode 0600. A crash mid-write leaves a torn
 * last line, which `verify()` reports and which stops further appends until repaired.
 */
export function createFileAuditStore(path: string, options: FileAuditStoreOptions = {}): FileAuditStore {
  if (typeof path !== 'string' || path.length === 0) throw new ValidationError(undefined, [{ path: 'path', message: 'must be a non-empty file path' }]);
  const durable = options.durable ?? true;
  let handle: Promise<FileHandle> | undefined;

  const appendHandle = () => {
    handle ??= (async () => {
      await mkdir(dirname(path), { recursive: true });
      return open(path, 'a', 0o600);
    })();
    handle.catch(() => {
      handle = undefined;
    });
    return handle;
  };

  return {
    path,

    async append(line) {
      if (line.includes('\n')) throw new ValidationError(undefined, [{ path: 'line', message: 'must not contain a newline' }]);
      const file = await appendHandle();
      await file.write(`${line}\n`);
      if (durable) await file.datasync();
    },

    async last() {
      let file: FileHandle;
      try {
        file = await open(path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      try {
        const { size } = await file.stat();
        if (size === 0) return undefined;
        // Read backwards until the newline before the last line; chunks are joined as bytes so a
        // multi-byte character split across chunks decodes intact.
        const chunks: Buffer[] = [];
        let end = size;
        let skipFinalNewline = true;
        while (end > 0) {
          const start = Math.max(0, end - TAIL_CHUNK);
          const buffer = Buffer.alloc(end - start);
          await file.read(buffer, 0, buffer.length, start);
          let scanEnd = buffer.length;
          if (skipFinalNewline) {
            if (buffer[scanEnd - 1] === NEWLINE) scanEnd--;
            skipFinalNewline = false;
          }
          const at = buffer.lastIndexOf(NEWLINE, scanEnd - 1);
          if (at >= 0 && scanEnd > 0) {
            chunks.unshift(buffer.subarray(at + 1, scanEnd));
            break;
          }
          chunks.unshift(buffer.subarray(0, scanEnd));
          end = start;
        }
        return Buffer.concat(chunks).toString('utf8');
      } finally {
        await file.close();
      }
    },

    lines() {
      return {
        async *[Symbol.asyncIterator]() {
          const stream = createReadStream(path);
          const decoder = new StringDecoder('utf8');
          let pending = '';
          try {
            for await (const chunk of stream) {
              pending += decoder.write(chunk as Buffer);
              let at = pending.indexOf('\n');
              while (at >= 0) {
                yield pending.slice(0, at);
                pending = pending.slice(at + 1);
                at = pending.indexOf('\n');
              }
            }
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
            throw error;
          }
          pending += decoder.end();
          // A last line without its newline is torn: hand it over so verify() rejects it.
          if (pending.length > 0) yield pending;
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
