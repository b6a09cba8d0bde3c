import { expect } from 'vitest';
import type { SuiteRun } from './context';

/** Server-side copy, and move (server-side or through the facade's read + write). */
export function registerTransferTests(run: SuiteRun): void {
  const { suite, key } = run;

  suite.test(
    'copies server-side, keeping content and content type',
    async (storage) => {
      const from = key('copy/source.txt');
      const to = key('copy/target.txt');
      await storage.write(from, 'copied', { contentType: 'text/plain' });
      const info = await storage.copy(from, to);
      expect(info.key).toBe(to);
      expect(await storage.readText(to)).toBe('copied');
      expect(await storage.readText(from)).toBe('copied');
      expect((await storage.stat(to)).contentType).toMatch(/^text\/plain/);
    },
    { id: 'copy', needs: ['copy'] },
  );

  suite.test(
    'moves (copy then delete), and moving onto itself keeps the object',
    async (storage) => {
      const from = key('move/source.txt');
      const to = key('move/target.txt');
      await storage.write(from, 'moved');
      await storage.move(from, to);
      expect(await storage.readText(to)).toBe('moved');
      expect(await storage.exists(from)).toBe(false);
      await storage.move(to, to);
      expect(await storage.readText(to)).toBe('moved');
    },
    { id: 'move' },
  );
}
