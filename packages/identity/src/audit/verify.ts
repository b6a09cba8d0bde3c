import { GENESIS_HASH, canonicalJson, sha256Hex } from './canonical';
import type { AuditEntry, AuditHead, AuditProblem, AuditVerification } from './types';

const HEX64 = /^[0-9a-f]{64}$/;

/** The fields an entry's hash covers: every field but `hash`, canonically serialised. */
export function hashOf(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, target, outcome, details, prevHash } = entry;
  return sha256Hex(canonicalJson({ seq, at, actor, action, target, outcome, details, prevHash }));
}

/** Reads one stored line into an entry, or says why it is not one. */
export function parseLine(line: string): { entry: AuditEntry } | { problem: AuditProblem; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'unparseable', reason: 'line is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'malformed', reason: 'line is not an object' };
  const e = value as Record<string, unknown>;
  const keys = Object.keys(e).sort().join(',');
  if (keys !== 'action,actor,at,details,hash,outcome,prevHash,seq,target') {
    return { problem: 'malformed', reason: `unexpected fields (${keys})` };
  }
  if (
    !Number.isSafeInteger(e['seq']) ||
    typeof e['at'] !== 'string' ||
    typeof e['actor'] !== 'string' ||
    typeof e['action'] !== 'string' ||
    (typeof e['target'] !== 'string' && e['target'] !== null) ||
    (e['outcome'] !== 'attempt' && e['outcome'] !== 'success' && e['outcome'] !== 'failure') ||
    typeof e['details'] !== 'object' ||
    e['details'] === null ||
    Array.isArray(e['details']) ||
    typeof e['prevHash'] !== 'string' ||
    !HEX64.test(e['prevHash']) ||
    typeof e['hash'] !== 'string' ||
    !HEX64.test(e['hash'])
  ) {
    return { problem: 'malformed', reason: 'a field has the wrong type' };
  }
  // Any byte that changes the text but not the parsed value (whitespace, escapes) is caught here.
  if (canonicalJson(value) !== line) return { problem: 'not_canonical', reason: 'line differs from the canonical form of its entry' };
  return { entry: value as unknown as AuditEntry };
}

/**
 * Checks a sequence of stored lines: each parses, is canonical, has the next `seq`, links to
 * the previous hash and hashes to its own `hash`; then that the chain reaches every head given.
 */
export async function verifyLines(lines: AsyncIterable<string>, heads: readonly AuditHead[]): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const fail = (problem: AuditProblem, reason: string): AuditVerification => ({
    ok: false,
    firstBadSeq: expectedSeq,
    problem,
    reason: `entry ${expectedSeq}: ${reason}`,
  });
  const hashes = new Map<number, string>();
  const wanted = new Set(heads.map((head) => head.seq));
  for await (const line of lines) {
    const parsed = parseLine(line);
    if ('problem' in parsed) return fail(parsed.problem, parsed.reason);
    const entry = parsed.entry;
    if (entry.seq !== expectedSeq) return fail('sequence', `found seq ${entry.seq} where ${expectedSeq} belongs (entry missing or moved)`);
    if (entry.prevHash !== prevHash) return fail('prev_hash', 'prevHash does not match the previous entry (entry missing, moved or inserted)');
    if (hashOf(entry) !== entry.hash) return fail('hash', 'hash does not match its contents (entry altered)');
    // Stryker disable next-line ConditionalExpression: equivalent (hashes of other entries are never looked up; keeping only the wanted ones bounds memory)
    if (wanted.has(entry.seq)) hashes.set(entry.seq, entry.hash);
    prevHash = entry.hash;
    expectedSeq++;
  }
  const count = expectedSeq - 1;
  for (const head of heads) {
    if (head.seq > count) {
      return {
        ok: false,
        firstBadSeq: count + 1,
        problem: 'truncated',
        reason: `entry ${count + 1}: missing; the chain ends at ${count} but entry ${head.seq} was written`,
      };
    }
    if (head.seq >= 1 && hashes.get(head.seq) !== head.hash) {
      return { ok: false, firstBadSeq: head.seq, problem: 'head_mismatch', reason: `entry ${head.seq}: hash differs from the recorded head` };
    }
  }
  return count === 0 ? { ok: true, entries: 0 } : { ok: true, entries: count, head: { seq: count, hash: prevHash } };
}
