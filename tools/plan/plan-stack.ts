/** Plans one stack offline: read its stack file, run the program under mocks, judge it, build the artifact. */
import type { PolicyPackConfig } from "@pulumi/policy";
import { existsSync } from "fs";
import * as path from "path";
import { evaluatePolicies, readPolicyConfigFile, resolvePolicyConfig } from "../../policies/runner";
import { PROJECT } from "../../stacks/config/schema";
import { buildPlanDocument, PlanDocument } from "./document";
import { OfflineRun, runOffline } from "./harness";
import { PlanMode } from "./mocks";
import { readStackFile } from "./stack-file";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface StackPlan {
  readonly run: OfflineRun;
  readonly document: PlanDocument;
  /** The policy config file used by default (see {@link defaultPolicyConfigFile}), if any. */
  readonly policyConfigFile?: string;
}

/**
 * The policy config a stack is judged with when none is given, chosen as the deploy and preview
 * workflows choose it: `policies/config.<stack>.json`, else `policies/config.<tenant.environment>.json`.
 */
export function defaultPolicyConfigFile(stack: string, environment: unknown, dir: string): string | undefined {
  const candidates = [stack, typeof environment === "string" ? environment : undefined].filter((c): c is string => !!c);
  return candidates.map((c) => path.join(dir, "policies", `config.${c}.json`)).find((f) => existsSync(f));
}

/**
 * `policyConfig` is CrossGuard policy config (`--policy-pack-config` JSON); invalid policy config throws
 * before the program runs. The policies judge the run only when the program succeeded.
 */
export async function planStack(stack: string, options: { dir?: string; mode?: PlanMode; policyConfig?: PolicyPackConfig } = {}): Promise<StackPlan> {
  const dir = options.dir ?? REPO_ROOT;
  const stackConfig = readStackFile(stack, dir, PROJECT);
  let policyConfig = options.policyConfig;
  let policyConfigFile: string | undefined;
  if (policyConfig === undefined) {
    const tenant = stackConfig.display[`${PROJECT}:tenant`] as { environment?: unknown } | undefined;
    policyConfigFile = defaultPolicyConfigFile(stack, tenant?.environment, dir);
    if (policyConfigFile) policyConfig = readPolicyConfigFile(policyConfigFile);
  }
  resolvePolicyConfig(policyConfig ?? {});
  const run = await runOffline({ project: PROJECT, stack, config: stackConfig.config, secretKeys: stackConfig.secretKeys, mode: options.mode });
  const policy = run.error ? undefined : evaluatePolicies(run, policyConfig ?? {});
  return { run, document: buildPlanDocument(run, stackConfig, policy), policyConfigFile };
}
