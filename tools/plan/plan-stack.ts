/** Plans one stack offline: read its stack file, run the program under mocks, judge it, build the artifact. */
import type { PolicyPackConfig } from "@pulumi/policy";
import * as path from "path";
import { evaluatePolicies, resolvePolicyConfig } from "../../policies/runner";
import { PROJECT } from "../../stacks/config/schema";
import { buildPlanDocument, PlanDocument } from "./document";
import { OfflineRun, runOffline } from "./harness";
import { PlanMode } from "./mocks";
import { readStackFile } from "./stack-file";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface StackPlan {
  readonly run: OfflineRun;
  readonly document: PlanDocument;
}

/**
 * `policyConfig` is CrossGuard policy config (`--policy-pack-config` JSON); invalid policy config throws
 * before the program runs. The policies judge the run only when the program succeeded.
 */
export async function planStack(stack: string, options: { dir?: string; mode?: PlanMode; policyConfig?: PolicyPackConfig } = {}): Promise<StackPlan> {
  const stackConfig = readStackFile(stack, options.dir ?? REPO_ROOT, PROJECT);
  resolvePolicyConfig(options.policyConfig ?? {});
  const run = await runOffline({ project: PROJECT, stack, config: stackConfig.config, secretKeys: stackConfig.secretKeys, mode: options.mode });
  const policy = run.error ? undefined : evaluatePolicies(run, options.policyConfig ?? {});
  return { run, document: buildPlanDocument(run, stackConfig, policy) };
}
