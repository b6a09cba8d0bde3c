/**
 * `@almanac/identity/entra`: placeholder entry until the entra adapter lands (it exports nothing yet).
 *
 * @packageDocumentation
 */
export {};
