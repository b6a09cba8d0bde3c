import { afterAll, describe, expect, it } from 'vitest';
import { describeConformance } from '../src/testing/conformance';

// describeConformance registers real vitest suites; what they did is checked once they are done.
const suiteLog: string[] = [];
const testLog: string[] = [];
let created = 0;

interface Widget {
  readonly id: number;
  readonly can: readonly string[];
}

describeConformance<Widget>(
  'widgets',
  {
    name: 'suite scope',
    create: () => {
      created++;
      suiteLog.push(`create ${created}`);
      return { id: created, can: ['spin'] };
    },
    destroy: (widget) => {
      suiteLog.push(`destroy ${widget.id}`);
    },
    skip: ['by-id', 'skipped by name'],
  },
  (suite) => {
    suite.afterCreate((widget) => {
      suiteLog.push(`after create ${widget.id}`);
    });
    suite.beforeDestroy((widget) => {
      suiteLog.push(`before destroy ${widget.id}`);
    });
    suite.test('runs with the shared subject', (widget) => {
      suiteLog.push(`run a on ${widget.id}`);
      expect(widget.can).toEqual(['spin']);
    }, { id: 'a' });
    suite.group('nested', () => {
      suite.test('runs too, same subject', (widget) => {
        suiteLog.push(`run b on ${widget.id}`);
        expect(widget.can).toEqual(['spin']);
      });
    });
    suite.test('skipped by id', () => {
      suiteLog.push('ran by-id');
    }, { id: 'by-id' });
    suite.test('skipped by name', () => {
      suiteLog.push('ran skipped by name');
    });
    suite.test('gated by a missing capability', () => {
      suiteLog.push('ran gated');
    }, { needs: ['spin', 'fly'] });
    suite.test('gated by a condition', () => {
      suiteLog.push('ran conditional');
    }, { gate: (widget) => (widget.id > 0 ? 'not today' : undefined) });
  },
  { supports: (widget, capability) => widget.can.includes(capability) },
);

describeConformance<Widget, { seed: number }>(
  'widgets',
  {
    name: 'test scope',
    create: (fixture) => {
      created++;
      testLog.push(`create ${created} seeded ${fixture.seed}`);
      return { id: created, can: [] };
    },
    destroy: (widget) => {
      testLog.push(`destroy ${widget.id}`);
    },
    skip: (title) => title.startsWith('[x]'),
  },
  (suite) => {
    suite.test('first', (widget) => {
      testLog.push(`run first on ${widget.id}`);
      expect(widget.can).toEqual([]);
    });
    suite.test('second', (widget) => {
      testLog.push(`run second on ${widget.id}`);
      expect(widget.can).toEqual([]);
    });
    suite.test('skipped by predicate: never created', () => {
      testLog.push('ran x');
    }, { id: 'x' });
    suite.test('gated: created, skipped, destroyed', () => {
      testLog.push('ran gated');
    }, { needs: ['fly'] });
  },
  { scope: 'test', fixture: { seed: 7 }, supports: (widget, capability) => widget.can.includes(capability) },
);

afterAll(() => {
  expect(suiteLog).toEqual(['create 1', 'after create 1', 'run a on 1', 'run b on 1', 'before destroy 1', 'destroy 1']);
  expect(testLog).toEqual([
    'create 2 seeded 7',
    'run first on 2',
    'destroy 2',
    'create 3 seeded 7',
    'run second on 3',
    'destroy 3',
    'create 4 seeded 7',
    'destroy 4',
  ]);
});

describe('describeConformance options', () => {
  it('rejects a malformed options object naming every field', () => {
    expect(() => describeConformance('widgets', { name: '', create: 'x' as never, skip: [1] as never }, () => {})).toThrow(
      'describeConformance: options.name must be a non-empty string; options.create must be a function; options.skip must be a list of test ids or names, or a function',
    );
  });
});
