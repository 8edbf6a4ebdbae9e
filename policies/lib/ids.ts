/** Parsing the Entra ids that link a job, its schema and its secrets document. */

/** The service principal object id (lowercase, no dashes) in a job or service principal reference. */
export function servicePrincipalOf(ref: string): string | undefined {
  const norm = (id: string) => id.toLowerCase().replace(/-/g, "");
  const path = /^\/servicePrincipals\/([^/]+)(?:\/synchronization\/jobs\/[^/]+)?$/i.exec(ref);
  if (path) return norm(path[1]);
  if (/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(ref)) return norm(ref);
  // A bare Graph job id: `<templateId>.<service principal id without dashes>.<guid>`.
  const bare = /^[A-Za-z0-9_-]+\.([0-9a-f]{32})\.[0-9a-f-]{32,36}$/i.exec(ref);
  return bare ? norm(bare[1]) : undefined;
}
