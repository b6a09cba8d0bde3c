import type { z } from 'zod';
import { describeType as describe } from './describe-type';
import { closestMatch } from './did-you-mean';

// Zod's defaults read "Invalid input" (a union), "Too small: expected string to have >=1
// characters" or "Invalid string: must match pattern /^(?:[01]\d…/": right, but not what a
// caller can act on. These say what was expected and what arrived, naming the type of what
// arrived and never its value (an input may be a secret). Messages a schema sets itself win:
// zod ranks them above this per-parse map.

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'a bigint',
  boolean: 'a boolean',
  date: 'a Date',
  array: 'an array',
  object: 'an object',
  function: 'a function',
  symbol: 'a symbol',
  undefined: 'nothing',
  null: 'null',
};
const expectedText = (expected: string): string => EXPECTED[expected] ?? expected;

type RawIssue = z.core.$ZodRawIssue;

function unionExpectations(issue: RawIssue & { errors?: readonly (readonly { code: string; path: readonly PropertyKey[]; expected?: string | undefined }[])[] | undefined }): string[] {
  const found = new Set<string>();
  for (const branch of issue.errors ?? []) {
    const top = branch.find((inner) => inner.path.length === 0);
    if (top?.code === 'invalid_type' && top.expected) found.add(expectedText(top.expected));
  }
  return [...found];
}

function bound(issue: RawIssue & { origin?: string | undefined; minimum?: unknown; maximum?: unknown; inclusive?: boolean | undefined }, small: boolean): string | undefined {
  const limit = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (small && limit === 1 && inclusive) return 'must not be empty';
      return `must be ${small ? 'at least' : 'at most'} ${inclusive ? limit : small ? limit + 1 : limit - 1} characters`;
    case 'array':
    case 'set':
      if (small && limit === 1 && inclusive) return 'must not be empty';
      return `must have ${small ? 'at least' : 'at most'} ${inclusive ? limit : small ? limit + 1 : limit - 1} items`;
    case 'number':
    case 'int':
    case 'bigint':
      return `must be ${small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<'} ${String(small ? issue.minimum : issue.maximum)}`;
    case 'date':
      return `must be ${small ? 'on or after' : 'on or before'} ${new Date(limit).toISOString()}`;
    default:
      return undefined;
  }
}

function knownKeys(issue: RawIssue): string[] {
  const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> | undefined } | undefined } | undefined } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * Per-parse error map (internal): "Required" for a missing field, and expected-versus-received
 * wording for the rest (see the comment at the top of this file).
 */
export const houseErrorMap: z.core.$ZodErrorMap = (issue) => {
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) return 'Required';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${expectedText(issue.expected)}, got ${describe(issue.input)}`;
    case 'invalid_union': {
      const expected = unionExpectations(issue as Parameters<typeof unionExpectations>[0]);
      return expected.length > 0 ? `expected ${expected.join(' or ')}, got ${describe(issue.input)}` : undefined;
    }
    case 'too_small':
      return bound(issue, true);
    case 'too_big':
      return bound(issue, false);
    case 'invalid_format':
      return issue.format === 'regex' ? 'has the wrong format' : `must be a valid ${issue.format}`;
    case 'unrecognized_keys': {
      const known = knownKeys(issue);
      return issue.keys
        .map((key) => {
          const suggestion = closestMatch(key, known);
          return `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
        })
        .join('; ');
    }
    default:
      return undefined;
  }
};
