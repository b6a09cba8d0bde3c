// Reads the log of a root TypeDoc run (`entryPointStrategy: "packages"`) and tells which package
// each finding belongs to: TypeDoc converts and validates the packages one after the other, each
// introduced by "Converting project at ./packages/<folder>", then merges them and checks links.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal colour codes is the point
const ANSI = /\x1b\[[0-9;]*m/g;
// TypeDoc's closing lines are about the whole run, whichever package happened to be converted last.
const RUN_SUMMARY = /^\[(error|warning)\] (Found \d+ errors and \d+ warnings|Failed to convert one or more packages)/;
const FINDING = /\[(warning|error)\]|\berror TS\d+/;

/**
 * Splits a TypeDoc log (stdout and stderr interleaved, English messages) into sections: one per
 * package folder, in the order converted, plus `''` for what came before the first package and
 * after the merge (option errors, cross-package links, writing the site, the run summary).
 * Colour codes are removed.
 */
export function splitTypedocLog(output) {
  const sections = new Map([['', []]]);
  let current = '';
  for (const line of output.replace(ANSI, '').split('\n')) {
    const converting = line.match(/^\[info\] Converting project at \.\/packages\/(.+)$/);
    if (converting) current = converting[1];
    else if (line.startsWith('[info] Merging converted projects')) current = '';
    const section = RUN_SUMMARY.test(line) ? '' : current;
    if (!sections.has(section)) sections.set(section, []);
    sections.get(section).push(line);
  }
  return sections;
}

/** The lines of a section that report a problem: TypeDoc warnings and errors, TypeScript errors. */
export function findingsIn(lines) {
  return lines.filter((line) => FINDING.test(line) && !RUN_SUMMARY.test(line));
}

/** A section without TypeDoc's progress lines, for a failure message. */
export function withoutInfo(lines) {
  return lines.filter((line) => !line.startsWith('[info]')).join('\n').trim();
}
