/**
 * Small helpers around CrossGuard's validation signatures, shared by the rules.
 */
import type { PolicyConfigSchema, ResourceValidation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { configDefaults } from "./config-schema";

/**
 * Like `validateResourceOfType`, for type tokens instead of SDK classes: other types are reported as
 * not applicable; with a single type the function carries `__pulumiType`, which lets the CrossGuard
 * server skip other resources without calling it.
 */
export function validateResourcesOfTypes(types: readonly string[], validate: ResourceValidation): ResourceValidation {
  const fn: ResourceValidation = (args, report) => {
    if (!types.includes(args.type)) {
      args.notApplicable(`Policy only applies to resources of type ${types.map((t) => `'${t}'`).join(", ")}`);
    }
    return validate(args, report);
  };
  if (types.length === 1) (fn as ResourceValidation & { __pulumiType?: string }).__pulumiType = types[0];
  return fn;
}

/**
 * The policy's config with the schema's defaults under it. The engine (and policies/runner.ts) already
 * fill in defaults; doing it here too keeps a rule correct when called with a bare `getConfig`.
 */
export function policyConfig<T extends object>(args: Pick<ResourceValidationArgs | StackValidationArgs, "getConfig">, schema: PolicyConfigSchema): T {
  return { ...configDefaults(schema), ...args.getConfig<T>() } as T;
}
