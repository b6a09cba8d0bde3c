/**
 * `@almanac/identity/auth0`: placeholder entry until the auth0 adapter lands (it exports nothing yet).
 *
 * @packageDocumentation
 */
export {};
