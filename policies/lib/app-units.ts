/**
 * Stack policies judge one app at a time: the resources of one EnterpriseAppProvisioning component
 * (its children share the component as parent). Grouping by parent needs no ids, so it also works in a
 * first preview where every id is still unknown. Resources without a parent form one group, the stack.
 */
import type { PolicyResource } from "@pulumi/policy";
import { SCHEMA_RESOURCE_KIND, TYPES } from "./types";
import { peek } from "./values";

/** The subset of a CrossGuard `PolicyResource` the grouping reads. */
export type UnitResource = Pick<PolicyResource, "type" | "urn" | "name" | "props" | "opts"> & { readonly parent?: { readonly urn: string } };

export interface AppUnit<R extends UnitResource = PolicyResource> {
  /** The parent's URN, or "(stack)" for resources without one. */
  readonly key: string;
  readonly applications: R[];
  readonly servicePrincipals: R[];
  readonly assignments: R[];
  readonly secrets: R[];
  readonly jobs: R[];
  readonly schemas: R[];
}

export const STACK_KEY = "(stack)";

/** True for our SynchronizationSchema dynamic resource (and no other dynamic resource). */
export function isSchemaResource(r: Pick<UnitResource, "type" | "props">): boolean {
  return r.type === TYPES.dynamicResource && peek(r.props, "resourceKind") === SCHEMA_RESOURCE_KIND;
}

export function parentKey(r: UnitResource): string {
  return r.parent?.urn ?? r.opts.parent ?? STACK_KEY;
}

/** "rouse-sales" for a component URN, "the stack" for resources without a parent. */
export function describeUnit(key: string): string {
  return key === STACK_KEY ? "the stack" : `component ${JSON.stringify(key.split("::").pop())}`;
}

/** Which list of a unit each provisioning resource type goes to. */
const LIST_OF_TYPE: Readonly<Record<string, Exclude<keyof AppUnit, "key" | "schemas">>> = {
  [TYPES.application]: "applications",
  [TYPES.applicationFromTemplate]: "applications",
  [TYPES.servicePrincipal]: "servicePrincipals",
  [TYPES.appRoleAssignment]: "assignments",
  [TYPES.synchronizationSecret]: "secrets",
  [TYPES.synchronizationJob]: "jobs",
};

/** Groups the provisioning resources by parent; groups without any of them are left out. */
export function appUnits<R extends UnitResource>(resources: readonly R[]): AppUnit<R>[] {
  const units = new Map<string, AppUnit<R>>();
  for (const r of resources) {
    const list = LIST_OF_TYPE[r.type] ?? (isSchemaResource(r) ? "schemas" : undefined);
    if (!list) continue;
    const key = parentKey(r);
    let u = units.get(key);
    if (!u) {
      u = { key, applications: [], servicePrincipals: [], assignments: [], secrets: [], jobs: [], schemas: [] };
      units.set(key, u);
    }
    u[list].push(r);
  }
  return [...units.values()];
}
