/**
 * What the offline runner (policies/runner.ts) knows beyond CrossGuard's arguments. The CLI unwraps
 * secrets before policies see them, so there a rule cannot tell a secret input from a plain one; the
 * in-process run records which input paths were secrets and passes them as `secretPaths`. Rules use
 * them when present and skip that check when not.
 */
export interface OfflineFacts {
  /** Input property paths whose values were Pulumi secrets, e.g. `credentials[1].value`. */
  readonly secretPaths?: readonly string[];
}

/** Whether `path` lies at or below one of the secret paths. */
export function isSecretPath(path: string, secretPaths: readonly string[]): boolean {
  return secretPaths.some((p) => p === "(root)" || p === path || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}
