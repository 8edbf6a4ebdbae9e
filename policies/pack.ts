/**
 * The pack's metadata and arguments, without constructing it (constructing a PolicyPack starts its
 * gRPC server; only policies/index.ts does that). The version is the one in policies/package.json,
 * which is also what the CrossGuard server reports.
 */
import type { PolicyPackArgs } from "@pulumi/policy";
import packageJson = require("./package.json");
import { POLICIES } from "./rules";

export const PACK_NAME = "entra-provisioning-guardrails";
export const PACK_VERSION: string = packageJson.version;
/** `name@version`, as the stack outputs and plan verdicts show it. */
export const PACK_ID = `${PACK_NAME}@${PACK_VERSION}`;

export const PACK_ARGS: PolicyPackArgs = {
  policies: POLICIES,
  enforcementLevel: "mandatory",
  displayName: "Entra provisioning guardrails",
  description: "Scope, matching, notifications, deletion threshold, secrets and production safety for Entra app provisioning stacks.",
  provider: "azuread",
  tags: ["entra", "provisioning", "scim"],
  readme: "See docs/policies.md in the entra-app-provisioning repository: each rule, why it exists, and its configuration.",
};
