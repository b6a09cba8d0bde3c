/**
 * `@almanac/identity`: one identity interface over Auth0, Microsoft Entra ID and memory — the
 * provider spec, the {@link createIdentity} facade, a tamper-evident audit log and a security
 * advisor built on oracle's login and account risk scoring. Adapters live in subpaths
 * (`@almanac/identity/memory`, `/auth0`, `/entra`); this entry never loads a provider SDK.
 *
 * @packageDocumentation
 */
export * from './spec';
export * from './facade/index';
export * from './audit/index';
export * from './advisor/index';
