// OData string literals in `$filter`: a single quote is escaped by doubling it
// (OData v4; https://learn.microsoft.com/graph/query-parameters).

/** `value` as an OData string literal, quotes included. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `$filter` for a prefix of the email or the display name (Graph matches case-insensitively). */
export function prefixFilter(prefix: string): string {
  const literal = odataString(prefix);
  return `startswith(mail,${literal}) or startswith(displayName,${literal})`;
}

/** `$filter` for one email, as `mail` or as sign-in name. */
export function emailFilter(email: string): string {
  const literal = odataString(email);
  return `mail eq ${literal} or userPrincipalName eq ${literal}`;
}
