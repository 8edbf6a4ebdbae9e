import * as path from "path";

/**
 * A rule's name is its file name (cdk-nag's convention): `rules/scope-is-set.ts` is the policy
 * `scope-is-set`, so the name in a violation leads straight to the file.
 */
export function ruleName(file: string): string {
  return path.parse(file).name;
}
