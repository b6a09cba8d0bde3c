// `npm run mutation`: StrykerJS mutation testing of the modules that guard money and trust.
//
//   node scripts/mutation.mjs                 every enabled module (the full run)
//   node scripts/mutation.mjs --ci            what CI runs (scripts/test.mjs, with a budget): the
//                                             critical modules, packed into daily groups that fit
//                                             the budget (ciGroups); today's group first (--rotation=N
//                                             to pick), then the next ones, until the
//                                             --budget-minutes are spent; locally, modules not yet
//                                             scored ≥ 80 % in their current form (see "scored
//                                             record" below) go first
//   node scripts/mutation.mjs --changed[=ref] the modules whose files changed vs. ref (default
//                                             HEAD~1), plus uncommitted changes
//   node scripts/mutation.mjs core-webhooks … the named modules (`--list` prints them)
//   --planned                                 also the planned modules whose files exist
//   --budget-minutes=N                        start no module after N minutes, nor one whose
//                                             last measured time would overrun them
//   --concurrency=N                           test-runner processes (default 2, stryker.config.mjs)
//   --plan                                    print the selected modules and exit
//   --check                                   run the TypeScript checker first (type-invalid mutants
//                                             become compile errors instead of test runs). Off by
//                                             default: on 2 shared cores it made runs slower, and
//                                             while packages were being rebuilt it failed every
//                                             mutant of a module (bookings: 157 of 157)
//
// Each module is mutated in a sandbox copy (under .tmp/stryker, so the working tree is never
// touched) and only its own test files run against it (`testFiles`, with vitest's `related`
// mode off): a mutant must be killed by the tests written for that module. A module whose score
// (killed + timed out) / (killed + timed out + survived + no coverage) is below 80 % fails
// (Stryker's `thresholds.break`), and every surviving mutant is printed as file:line:column,
// mutator and replacement, so the gap is visible without opening a report. The last line is
// "mutation summary: N passed, N failed" (one check per module) for scripts/test.mjs.
//
// Scored record (.tmp/mutation/scored.json, git-ignored): per module, the fingerprint (SHA-256 of
// its mutated and test files and the shared configs) and seconds of its last run, and whether it
// passed. `--ci` runs first the modules whose fingerprint has no passing record (changed, or never
// scored on this machine), and the time of the last run bounds the budget check. A fresh clone
// has no record: the daily groups (and each module's `seconds`) then decide what runs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReport } from './report.mjs';
import { repoRoot } from './workspace.mjs';

const { default: baseConfig } = await import('../stryker.config.mjs');
// Below this score (thresholds.break in stryker.config.mjs, 80 %) a module fails.
const BREAK = baseConfig.thresholds.break;

/**
 * The modules. `mutate` are the source files Stryker changes (whole files, or `file.ts#name` for
 * one top-level function or const: see resolveMutate), `tests` the test files that must catch
 * those changes, `tsconfig` what the TypeScript checker compiles, `seconds` the time of a run
 * measured here on 2 shared cores (it sizes the CI rotation, ciGroups; update it when a run
 * takes much longer or shorter). `ci: true` marks the
 * critical modules `--ci` chooses from (within its budget, see select()). `planned: true` entries
 * are for packages still being written: they run when named, or with `--planned` once every
 * pattern they list matches a file; turn one on for good by deleting its `planned` flag.
 */
export const MODULES = [
  {
    name: 'core-webhooks',
    seconds: 600,
    ci: true,
    mutate: ['packages/core/src/webhooks/hmac.ts', 'packages/core/src/webhooks/ed25519.ts', 'packages/core/src/webhooks/replay-guard.ts', 'packages/core/src/webhooks/seen-id-store.ts'],
    tests: ['packages/core/test/webhooks-signatures.test.ts', 'packages/core/test/webhooks-replay.test.ts', 'packages/core/test/webhooks-inputs.test.ts', 'packages/core/test/webhooks.mutation-kills.test.ts'],
    tsconfig: 'packages/core/tsconfig.json',
  },
  {
    name: 'core-secrets',
    // CI measurement (216 s, quiet clean clone, last session's CI run) with a 1.5x margin.
    seconds: 324,
    ci: true,
    mutate: [
      'packages/core/src/secrets/encoding.ts',
      'packages/core/src/secrets/envelope.ts',
      'packages/core/src/secrets/keyring.ts',
      'packages/core/src/secrets/encrypted-token-store.ts',
      'packages/core/src/secrets/file-token-store.ts',
      'packages/core/src/secrets/memory-token-store.ts',
      'packages/core/src/secrets/serial-queue.ts',
      'packages/core/src/secrets/token-set.ts',
      'packages/core/src/secrets/vault.ts',
    ],
    tests: ['packages/core/test/secrets-stores.test.ts', 'packages/core/test/secrets-vault.test.ts', 'packages/core/test/secrets.mutation-kills.test.ts'],
    tsconfig: 'packages/core/tsconfig.json',
  },
  {
    name: 'core-retry',
    // CI measurement (102 s, quiet clean clone, last session's CI run) with a 1.5x margin.
    seconds: 153,
    ci: true,
    mutate: ['packages/core/src/retry/classify.ts', 'packages/core/src/retry/policy.ts', 'packages/core/src/retry/with-retry.ts'],
    tests: ['packages/core/test/retry.test.ts', 'packages/core/test/retry.mutation-kills.test.ts'],
    tsconfig: 'packages/core/tsconfig.json',
  },
  {
    name: 'core-http-auth-redirects',
    // CI measurement (47 s, quiet clean clone, last session's CI run) with a 1.5x margin.
    seconds: 71,
    ci: true,
    mutate: ['packages/core/src/http/auth.ts', 'packages/core/src/http/redirect.ts'],
    tests: ['packages/core/test/http-auth.test.ts', 'packages/core/test/http-redirect-rules.test.ts'],
    tsconfig: 'packages/core/tsconfig.json',
  },
  {
    name: 'library-signing-keys',
    // CI measurement (80 s, quiet clean clone, last session's CI run) with a 1.5x margin.
    seconds: 120,
    ci: true,
    mutate: ['packages/library/src/facade/keys.ts', 'packages/library/src/adapters/fs/signing.ts'],
    tests: ['packages/library/test/keys-rules.test.ts', 'packages/library/test/fs-signing.test.ts', 'packages/library/test/facade-fast-path.test.ts'],
    tsconfig: 'packages/library/tsconfig.json',
  },
  {
    name: 'bookings-webhooks',
    // CI measurement (70 s, quiet clean clone, last session's CI run) with a 1.5x margin.
    seconds: 105,
    ci: true,
    mutate: ['packages/bookings/src/adapters/microsoft/webhook.ts'],
    tests: ['packages/bookings/test/microsoft-webhook.test.ts', 'packages/bookings/test/graph-client-state.test.ts'],
    tsconfig: 'packages/bookings/tsconfig.json',
  },
  {
    name: 'oracle-churn-likelihoods',
    // CI measurement (82 s, quiet clean clone, last session's CI run) with a 1.5x margin.
    seconds: 123,
    ci: true,
    // The likelihoods (and the parameter checks and quadrature they use), not the predictions
    // further down the same files, which churn-models.test.ts covers.
    mutate: [
      'packages/oracle/src/churn/bgnbd.ts#checkBgNbdParams',
      'packages/oracle/src/churn/bgnbd.ts#bgNbdLogLikelihoodAggregated',
      'packages/oracle/src/churn/bgnbd.ts#bgNbdLogLikelihood',
      'packages/oracle/src/churn/pareto-nbd.ts#checkParams',
      'packages/oracle/src/churn/pareto-nbd.ts#logA0',
      'packages/oracle/src/churn/pareto-nbd.ts#paretoLogIntegral',
      'packages/oracle/src/churn/pareto-nbd.ts#logLikelihoodAggregated',
      'packages/oracle/src/churn/pareto-nbd.ts#paretoNbdLogLikelihood',
    ],
    tests: ['packages/oracle/test/churn-likelihood-pinned.test.ts', 'packages/oracle/test/churn-pareto-quadrature.test.ts'],
    tsconfig: 'packages/oracle/tsconfig.json',
  },
  {
    name: 'oracle-slot-subtraction',
    ci: true,
    seconds: 730,
    // 100 % on 2026-12-03 (159 mutants, 37 of them timeouts: a broken partition loops forever,
    // which is most of the run time). Tested directly on the span algebra against a cell model
    // (slots-spans.test.ts); the equivalent mutants (sort pivot and threshold, steps past an end
    // that read undefined, cost-only loop conditions) are marked in spans.ts with the reason.
    // The public interval operations and the span arithmetic under them (find-slots subtracts busy
    // time with subtractSpans too).
    mutate: ['packages/oracle/src/slots/intervals.ts', 'packages/oracle/src/slots/spans.ts'],
    folders: ['packages/core'],
    tests: ['packages/oracle/test/slots.test.ts', 'packages/oracle/test/slots-spans.test.ts', 'packages/oracle/test/slots-validation.test.ts', 'packages/oracle/test/slots.mutation-kills.test.ts'],
    tsconfig: 'packages/oracle/tsconfig.json',
  },
  // The new packages' webhook receivers, outbox, SQL building and audit chain. Whole files, so
  // the modules survive edits (line ranges drift when a file changes).
  {
    name: 'arcade-webhooks',
    ci: true,
    // 99.8 % on 2026-12-03 (546 mutants, 952 s at load ~10 on 2 cores). The refusals tests pin
    // what onReject receives, the ConfigErrors, the 500 of a failing seen-id store and the
    // Discord follow-up failure. Equivalent mutants are marked in the sources with the reason;
    // the one survivor left, http.ts `declared !== null` → true, is equivalent too (a null
    // content-length fails the digits test anyway) but shares its line with killable mutants.
    // 309 s in the quiet CI run of edba824; estimate 1.5x that.
    seconds: 465,
    // Twitch EventSub (HMAC-SHA256 signature, message-id replay, timestamp window) and Discord
    // interactions (Ed25519 over timestamp + body, stale/future timestamps), and the shared body
    // reading/limits they use. The 10,000-delivery fuzz files are left out (minutes per mutant).
    mutate: ['packages/arcade/src/adapters/twitch/eventsub-handler.ts', 'packages/arcade/src/adapters/discord/interactions-handler.ts', 'packages/arcade/src/webhooks/http.ts'],
    tests: [
      'packages/arcade/test/eventsub-handler.test.ts',
      'packages/arcade/test/interactions-handler.test.ts',
      'packages/arcade/test/webhooks.mutation-kills.test.ts',
      'packages/arcade/test/eventsub-refusals.test.ts',
      'packages/arcade/test/interactions-refusals.test.ts',
    ],
    tsconfig: 'packages/arcade/tsconfig.json',
  },
  {
    name: 'cdp-outbox',
    ci: true,
    // 86.1 % on 2026-12-03 (728 mutants, outbox at 80ffac3; 821 s with concurrency 2 on the
    // loaded shared machine, 1,087 s in a busier run); the earlier outbox (477 mutants) scored
    // 72.5 % before the durability, lock, encoded-read and restart tests.
    // Most of what survives is equivalent: read-position and group-commit shortcuts that change
    // only how much is read or scheduled, the line-break scan of readEncoded (spaces only where
    // a break is), and guards backed by another.
    // 80.1 % on 2026-12-04 with the write-fault and not-a-message code and tests (1,357 mutants:
    // the byte-level JSON check of frames.ts added most; 1,483 s with concurrency 2 on a mostly
    // quiet machine); estimate 1.5x that. Most survivors are in that check's scanner branches
    // (equivalent shortcuts or JSON forms the tests do not write).
    seconds: 2225,
    // The file outbox: CRC-32 framing, torn-tail recovery, segment rolling and compaction.
    mutate: ['packages/cdp/src/outbox/crc32.ts', 'packages/cdp/src/outbox/frames.ts', 'packages/cdp/src/outbox/file.ts'],
    tests: [
      'packages/cdp/test/outbox.test.ts',
      'packages/cdp/test/outbox.mutation-kills.test.ts',
      'packages/cdp/test/outbox-durability.test.ts',
      'packages/cdp/test/outbox-encoded.test.ts',
      // The write-fault (cut back after a failed write or fsync) and not-a-message record tests.
      'packages/cdp/test/outbox-faults.test.ts',
      'packages/cdp/test/outbox-undecodable.test.ts',
    ],
    tsconfig: 'packages/cdp/tsconfig.json',
  },
  {
    name: 'cdp-audience-sql',
    ci: true,
    // 98.2 % on 2026-12-03 (113 mutants; 2,357 s with one test process and three other runs on
    // the machine: the dialect tests run DuckDB on random audiences). CI measurement (143 s,
    // quiet clean clone, last session's CI run) with a 1.5x margin.
    seconds: 215,
    // The audience compiler: one parameterised query per dialect (DuckDB, BigQuery).
    mutate: ['packages/cdp/src/audiences/compile.ts'],
    tests: ['packages/cdp/test/audiences.test.ts', 'packages/cdp/test/audience-dialects.test.ts'],
    tsconfig: 'packages/cdp/tsconfig.json',
  },
  {
    name: 'aetherium-sql',
    ci: true,
    // 83.2 % on 2026-12-03 (220 mutants, 1,886 s under load; 241 s in the quiet CI run of
    // edba824, estimate 1.5x that). Left: typed (Parquet TIMESTAMP, TIMESTAMPTZ, MAP tags) column
    // branches of focus/sql.ts, which the CSV sample never takes.
    seconds: 360,
    // The FOCUS (DuckDB) and GCP billing export (BigQuery) query builders.
    mutate: ['packages/aetherium/src/adapters/focus/sql.ts', 'packages/aetherium/src/adapters/gcp/sql.ts'],
    tests: ['packages/aetherium/test/focus-files.test.ts', 'packages/aetherium/test/gcp.test.ts', 'packages/aetherium/test/sql.mutation-kills.test.ts'],
    // focus-files.test.ts reads the FOCUS sample and the specification examples.
    folders: ['datasets/focus'],
    tsconfig: 'packages/aetherium/tsconfig.json',
  },
  {
    name: 'identity-audit',
    ci: true,
    // 96.9 % on 2026-12-03 (388 mutants; 1,239 s with the machine's load near 16 on 2 cores).
    seconds: 1240,
    // The hash-chained audit log: canonical JSON, the chain's hashes and its verification.
    // audit.test.ts is left out: its byte-flip test (every byte of a file-backed log, ~10 s under
    // load) covers every mutant, which made the run take over 40 minutes; the kills file checks
    // the same parts directly on the memory store.
    mutate: ['packages/identity/src/audit/canonical.ts', 'packages/identity/src/audit/verify.ts', 'packages/identity/src/audit/audit-log.ts'],
    tests: ['packages/identity/test/audit.mutation-kills.test.ts', 'packages/identity/test/audit-fail-closed.test.ts'],
    tsconfig: 'packages/identity/tsconfig.json',
  },
];

/** The repository files (relative, `/`-separated) under a folder. */
function filesUnder(folder) {
  const absolute = join(repoRoot, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** Whether each pattern of a module (mutate, tests and tsconfig) matches at least one file. */
function present(module) {
  return [...module.mutate.map(pathOf), ...module.tests, module.tsconfig].every((pattern) => {
    const parts = pattern.split('/');
    const fixed = parts.slice(0, parts.findIndex((part) => /[*?{[]/.test(part)) >>> 0).join('/');
    return /[*?{[]/.test(pattern) ? filesUnder(fixed).some((file) => matches(file, pattern)) : existsSync(join(repoRoot, pattern));
  });
}

function changedFiles(base) {
  const git = (...args) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
  return new Set([...git('diff', '--name-only', `${base}...HEAD`), ...git('diff', '--name-only', 'HEAD')]);
}

function matches(file, pattern) {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^$()|\\]/g, '\\$&')
      .replace(/\*\*\//g, '@GLOBSTAR@')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')
      .replace(/@GLOBSTAR@/g, '(?:.*/)?')}$`,
  );
  return regex.test(file);
}

/** The file (or glob) a mutate pattern names: `file.ts:10-20` and `file.ts#name` name `file.ts`. */
function pathOf(pattern) {
  return pattern.replace(/(?::\d+-\d+|#[\w$]+)$/, '');
}

/**
 * Stryker's form of a module's mutate patterns: `file.ts#name` becomes `file.ts:<first>-<last>`,
 * the lines of the top-level function (or `const`) called `name`, found by parsing the file when
 * the run starts. Unlike a line range written into MODULES, it follows the function when code
 * above it is added or removed; a name that no longer exists fails the run instead of silently
 * mutating the wrong lines.
 */
export async function resolveMutate(patterns) {
  if (!patterns.some((pattern) => pattern.includes('#'))) return patterns;
  const { default: ts } = await import('typescript');
  return patterns.map((pattern) => {
    const selector = /^(.*)#([\w$]+)$/.exec(pattern);
    if (selector === null) return pattern;
    const [, file = '', name = ''] = selector;
    const source = ts.createSourceFile(file, readFileSync(join(repoRoot, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const declared = (statement) => {
      if (ts.isFunctionDeclaration(statement)) return statement.name?.text === name;
      if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name);
      return false;
    };
    const statement = source.statements.find(declared);
    if (statement === undefined) throw new Error(`mutation: ${pattern}: no top-level function or const ${name} in ${file}`);
    const line = (position) => source.getLineAndCharacterOfPosition(position).line + 1;
    return `${file}:${line(statement.getStart(source))}-${line(statement.getEnd())}`;
  });
}

/** The files a pattern names (a `file.ts:10-20` range or `file.ts#name` names `file.ts`). */
function filesOf(pattern) {
  const path = pathOf(pattern);
  if (!/[*?{[]/.test(path)) return existsSync(join(repoRoot, path)) ? [path] : [];
  const parts = path.split('/');
  const fixed = parts.slice(0, parts.findIndex((part) => /[*?{[]/.test(part))).join('/');
  return filesUnder(fixed).filter((file) => matches(file, path));
}

/** SHA-256 of what decides a module's score: its mutated files, its tests and the shared configs. */
export function fingerprint(module) {
  const hash = createHash('sha256');
  const files = [...module.mutate, ...module.tests].flatMap(filesOf);
  for (const file of [...new Set(files)].sort().concat(['stryker.config.mjs', 'vitest.mutation.config.ts', 'vitest.config.ts'])) {
    hash.update(`${file}\0`);
    if (existsSync(join(repoRoot, file))) hash.update(readFileSync(join(repoRoot, file)));
  }
  for (const pattern of module.mutate) hash.update(`${pattern}\0`);
  return hash.digest('hex');
}

const scoredFile = join(repoRoot, '.tmp', 'mutation', 'scored.json');

/** The scored record: module name → { fingerprint, passed, score, seconds, at }. */
function readScored() {
  try {
    return JSON.parse(readFileSync(scoredFile, 'utf8'));
  } catch {
    return {};
  }
}

/** The value of `--name=value`, or undefined. */
const option = (argv, name) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

/** Modules whose mutated or test files changed between `base` and the working tree. */
function changedModules(modules, base) {
  let files;
  try {
    files = [...changedFiles(base)];
  } catch {
    process.stdout.write(`cannot diff against ${base}; treating every module as changed\n`);
    return modules;
  }
  return modules.filter((module) => files.some((file) => [...module.mutate.map(pathOf), ...module.tests].some((pattern) => matches(file, pattern))));
}

/** --budget-minutes=N, or Infinity. */
function budgetMinutes(argv) {
  return Number(option(argv, 'budget-minutes') ?? Number.POSITIVE_INFINITY);
}

/**
 * The CI rotation: the modules packed into groups whose estimated times (`seconds`, measured on
 * a loaded 2-core machine, so generous) add up to at most the budget, first-fit by decreasing
 * time (fewer groups, so a shorter cycle); a module longer than the budget gets a group of its
 * own. Module list order breaks ties, so the groups only change when the list or an estimate does.
 */
export function ciGroups(modules, minutes) {
  const budget = minutes * 60;
  const estimate = (module) => module.seconds ?? DEFAULT_SECONDS;
  const order = modules.map((module, index) => ({ module, index })).sort((a, b) => estimate(b.module) - estimate(a.module) || a.index - b.index);
  const groups = [];
  for (const { module } of order) {
    const group = groups.find((candidate) => candidate.used + estimate(module) <= budget);
    if (group === undefined) groups.push({ used: estimate(module), modules: [module] });
    else {
      group.used += estimate(module);
      group.modules.push(module);
    }
  }
  // Within a group, list order (the order the run prints them in).
  return groups.map((group) => group.modules.sort((a, b) => modules.indexOf(a) - modules.indexOf(b)));
}

// Estimate for a module never measured (about the median of the measured ones).
const DEFAULT_SECONDS = 300;

function select(argv) {
  const names = argv.filter((arg) => !arg.startsWith('--'));
  // Planned modules (packages still being written) join only with --planned, once their files exist.
  const enabled = MODULES.filter((module) => !module.planned || (argv.includes('--planned') && present(module)));
  if (names.length > 0) {
    const unknown = names.filter((name) => !MODULES.some((module) => module.name === name));
    if (unknown.length > 0) throw new Error(`no mutation module ${unknown.join(', ')} (known: ${MODULES.map((m) => m.name).join(', ')})`);
    return MODULES.filter((module) => names.includes(module.name));
  }
  if (argv.includes('--ci')) {
    // CI: every critical module, in an order that makes a bounded budget (--budget-minutes) count.
    // The modules are packed into daily groups that each fit the budget (ciGroups); today's group
    // (or --rotation=N) comes first, then the following ones, so with G groups every module is
    // scored at least once every G days whatever the budget. Modules without a passing record for
    // their current files go before the verified ones (a local record; a fresh clone has none).
    const groups = ciGroups(enabled.filter((module) => module.ci), budgetMinutes(argv));
    const turn = Number(option(argv, 'rotation') ?? Math.floor(Date.now() / 86_400_000));
    const rotated = groups.flatMap((_, index) => groups[(index + turn) % groups.length]);
    const scored = readScored();
    const verified = (module) => scored[module.name]?.passed === true && scored[module.name]?.fingerprint === fingerprint(module);
    return [...rotated.filter((module) => !verified(module)), ...rotated.filter(verified)];
  }
  const changed = argv.find((arg) => arg === '--changed' || arg.startsWith('--changed='));
  if (changed) return changedModules(enabled, changed.includes('=') ? changed.slice('--changed='.length) : 'HEAD~1');
  return enabled;
}

function strykerOptions(module, { check, concurrency, mutate }) {
  // Only the module's own package is copied to the sandbox (other workspace packages resolve
  // through node_modules to their built dist, as in any test run), which keeps the copy small
  // and out of the way of packages being rebuilt meanwhile.
  const folder = pathOf(module.mutate[0]).split('/').slice(0, 2).join('/');
  // Workspace packages it imports are resolved to their source by vitest.mutation.config.ts (not
  // to dist, which other builds rewrite), so their folders are copied too (dist is ignored).
  const manifest = JSON.parse(readFileSync(join(repoRoot, folder, 'package.json'), 'utf8'));
  const workspaceDependencies = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })
    .filter((name) => name.startsWith('@almanac/'))
    .map((name) => `packages/${name.slice('@almanac/'.length)}`)
    // Folders a module's tests read by relative path (`folders`), e.g. oracle's error helper
    // imports core's source though oracle depends on nothing: without the copy that test file
    // failed to load in the sandbox and its mutants counted as uncovered.
    .concat(module.folders ?? []);
  return {
    // Shared settings live in stryker.config.mjs (also used by `npx stryker run`); the module
    // decides what is mutated and which tests must kill it.
    configFile: join(repoRoot, 'stryker.config.mjs'),
    mutate,
    testFiles: module.tests,
    checkers: check ? ['typescript'] : [],
    tsconfigFile: module.tsconfig,
    vitest: { ...baseConfig.vitest, configFile: 'vitest.mutation.config.ts' },
    ...(concurrency === undefined ? {} : { concurrency }),
    // Root files other than the configs the tests need are left out too (scratch files come and go).
    ignorePatterns: [
      ...baseConfig.ignorePatterns,
      '/*',
      '!/packages',
      '!/tests',
      '!/package.json',
      '!/vitest.config.ts',
      '!/vitest.mutation.config.ts',
      '!/tsconfig.base.json',
      '!/tsconfig.json',
      '/packages/*',
      `!/${folder}`,
      ...workspaceDependencies.map((dependency) => `!/${dependency}`),
      // Root folders named by the module (e.g. datasets/focus) are copied too.
      ...(module.folders ?? []).filter((folder) => !folder.startsWith('packages/')).flatMap((folder) => [`!/${folder.split('/')[0]}`, `/${folder.split('/')[0]}/*`, `!/${folder}`]),
      '/tests/*',
      '!/tests/setup',
    ],
    jsonReporter: { fileName: join('.tmp', 'mutation', `${module.name}.json`) },
    // One sandbox folder per module (Stryker deletes its whole temp folder when done), so
    // modules can run in parallel processes.
    tempDirName: join('.tmp', `stryker-${module.name}`),
  };
}

/** "file:line:col mutator: original → replacement" for each surviving or uncovered mutant. */
function describeSurvivor(mutant, sources) {
  let lines = sources.get(mutant.fileName);
  if (lines === undefined) {
    lines = readFileSync(resolve(repoRoot, mutant.fileName), 'utf8').split('\n');
    sources.set(mutant.fileName, lines);
  }
  const { start, end } = mutant.location;
  const original =
    start.line === end.line ? (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1) : `${(lines[start.line - 1] ?? '').slice(start.column - 1)}…`;
  const squash = (text) => (text.length > 90 ? `${text.slice(0, 87)}…` : text).replace(/\s+/g, ' ');
  return `${relative(repoRoot, resolve(repoRoot, mutant.fileName))}:${start.line}:${start.column} ${mutant.mutatorName}${mutant.status === 'NoCoverage' ? ' (no coverage)' : ''}: ${squash(original)} → ${squash(mutant.replacement ?? '')}`;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--list')) {
    for (const module of MODULES) process.stdout.write(`${module.name}${module.ci ? ' (ci)' : ''}${module.planned ? (present(module) ? ' (planned, files present)' : ' (planned, not yet present)') : ''}\n`);
    return;
  }
  const modules = select(argv);
  if (argv.includes('--plan')) {
    process.stdout.write(`${modules.map((module) => module.name).join('\n') || '(none)'}\n`);
    if (argv.includes('--ci')) {
      const groups = ciGroups(MODULES.filter((module) => module.ci && !module.planned), budgetMinutes(argv));
      process.stdout.write(`CI rotation: ${groups.length} daily group(s), each module scored at least every ${groups.length} day(s):\n`);
      for (const group of groups) process.stdout.write(`  ${group.map((module) => `${module.name} (~${module.seconds ?? DEFAULT_SECONDS} s)`).join(', ')}\n`);
    }
    return;
  }
  const check = argv.includes('--check');
  // --concurrency=N: test-runner processes (stryker.config.mjs says 2, for a machine of our own;
  // 1 when the machine is shared).
  const concurrency = option(argv, 'concurrency') === undefined ? undefined : Number(option(argv, 'concurrency'));
  const report = createReport('mutation');
  const { Stryker } = await import('@stryker-mutator/core');
  mkdirSync(join(repoRoot, '.tmp', 'mutation'), { recursive: true });
  const summary = [];
  // --budget-minutes=N: no module starts once N minutes are spent (those left are listed, not failed).
  const budgetMs = budgetMinutes(argv) * 60_000;
  const runStarted = Date.now();
  const scored = readScored();
  for (const module of modules) {
    // A module is not started once the budget is spent, nor when its last measured time would
    // overrun it (the first module always starts, so a budget never runs nothing).
    const spent = Date.now() - runStarted;
    const estimate = (scored[module.name]?.seconds ?? module.seconds ?? 0) * 1000;
    if (spent > budgetMs || (summary.length > 0 && spent + estimate > budgetMs)) {
      const why = spent > budgetMs ? 'is spent' : `has ${Math.round((budgetMs - spent) / 1000)} s left and it took ${Math.round(estimate / 1000)} s last time`;
      process.stdout.write(`\n── mutation: ${module.name} not started: the ${budgetMs / 60_000}-minute budget ${why}\n`);
      continue;
    }
    const started = Date.now();
    // Taken before the sandbox copy, so edits made while it runs count as changes next time.
    const print = fingerprint(module);
    process.stdout.write(`\n── mutation: ${module.name} (${module.mutate.join(', ')})\n`);
    let results;
    try {
      const mutate = await resolveMutate(module.mutate);
      results = await new Stryker(strykerOptions(module, { check, concurrency, mutate })).runMutationTest();
    } catch (error) {
      report.record(`mutation ${module.name}`, false, error instanceof Error ? (error.stack ?? error.message) : String(error));
      continue;
    }
    const count = (...statuses) => results.filter((mutant) => statuses.includes(mutant.status)).length;
    const detected = count('Killed', 'Timeout');
    const undetected = count('Survived', 'NoCoverage');
    // No mutant tested at all (e.g. every one a compile error) is a failed run, not 100 %.
    const score = detected + undetected === 0 ? 0 : (100 * detected) / (detected + undetected);
    const seconds = (Date.now() - started) / 1000;
    const sources = new Map();
    const survivors = results.filter((mutant) => mutant.status === 'Survived' || mutant.status === 'NoCoverage').map((mutant) => describeSurvivor(mutant, sources));
    const line = `${module.name}: ${score.toFixed(1)} % (${detected} killed or timed out, ${undetected} survived or uncovered, ${count('CompileError')} compile errors, ${count('RuntimeError')} runtime errors) in ${seconds.toFixed(0)} s`;
    summary.push({ module: module.name, score: Number(score.toFixed(2)), killed: detected, survived: undetected, seconds: Math.round(seconds), survivors });
    for (const survivor of survivors) process.stdout.write(`  survived: ${survivor}\n`);
    report.record(`mutation ${line}`, score >= BREAK, `below the ${BREAK} % break threshold`);
    scored[module.name] = { fingerprint: print, passed: score >= BREAK, score: Number(score.toFixed(2)), seconds: Math.round(seconds), at: new Date().toISOString() };
    writeFileSync(scoredFile, `${JSON.stringify(scored, null, 2)}\n`);
  }
  writeFileSync(join(repoRoot, '.tmp', 'mutation', 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (modules.length === 0) process.stdout.write('no mutation module selected\n');
  report.finish();
}

// Run only as a script: importing MODULES (tests, scripts/test.mjs) must not start a mutation run.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
