/** Picking the app role for group assignments from a service principal's `appRoles`. */

/** Graph's default access role, used when an app defines no roles. */
export const DEFAULT_ACCESS_ROLE_ID = "00000000-0000-0000-0000-000000000000";

export interface AppRoleLike {
  readonly id?: string;
  readonly displayName?: string;
  readonly value?: string | null;
  readonly enabled?: boolean;
  readonly allowedMemberTypes?: readonly string[];
}

/**
 * Returns the id of the enabled role whose display name is `displayName` (gallery roles such as `User`
 * often have no `value`, so `appRoleIds` cannot be used). An app without roles gets the default access
 * role. Throws a message listing the roles there are when none matches.
 */
export function pickAppRoleId(roles: readonly AppRoleLike[] | undefined, displayName: string, appName: string): string {
  const list = roles ?? [];
  if (list.length === 0) return DEFAULT_ACCESS_ROLE_ID;
  const match = list.find((r) => r.displayName === displayName && r.enabled !== false);
  if (!match?.id) {
    const names = list.filter((r) => r.enabled !== false).map((r) => JSON.stringify(r.displayName));
    throw new Error(`app role ${JSON.stringify(displayName)} not found on ${appName}'s service principal; enabled roles: ${names.join(", ") || "none"} (set app.assignments.appRole)`);
  }
  if (match.allowedMemberTypes && !match.allowedMemberTypes.includes("User")) {
    throw new Error(`app role ${JSON.stringify(displayName)} of ${appName} cannot be assigned to users and groups (allowedMemberTypes: ${match.allowedMemberTypes.join(", ")})`);
  }
  return match.id;
}
