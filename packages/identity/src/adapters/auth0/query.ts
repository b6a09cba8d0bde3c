// User search v3 uses Lucene query syntax:
// https://auth0.com/docs/manage-users/user-search/user-search-query-syntax
// Normalized fields (email, name) are matched case-insensitively; `*` is a wildcard.

/** Characters with a meaning in Lucene query syntax, plus whitespace (which splits terms). */
const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/\s]/g;

/** `value` with every Lucene special character escaped, safe inside one term. */
export function escapeLucene(value: string): string {
  return value.replace(LUCENE_SPECIAL, (char) => `\\${char}`);
}

/** `q` for a case-insensitive prefix match on email or name. */
export function prefixQuery(prefix: string): string {
  const term = escapeLucene(prefix.toLowerCase());
  return `email:${term}* OR name:${term}*`;
}

/** Whether `user` matches `prefix` the way {@link prefixQuery} does (used to filter exports). */
export function matchesPrefix(user: { readonly email: string; readonly name: string }, prefix: string): boolean {
  const needle = prefix.toLowerCase();
  return user.email.toLowerCase().startsWith(needle) || user.name.toLowerCase().startsWith(needle);
}
