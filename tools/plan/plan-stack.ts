/** Plans one stack offline: read its stack file, run the program under mocks, judge it, build the artifact. */
import * as path from "path";
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

export async function planStack(stack: string, options: { dir?: string; mode?: PlanMode } = {}): Promise<StackPlan> {
  const stackConfig = readStackFile(stack, options.dir ?? REPO_ROOT, PROJECT);
  const run = await runOffline({ project: PROJECT, stack, config: stackConfig.config, secretKeys: stackConfig.secretKeys, mode: options.mode });
  return { run, document: buildPlanDocument(run, stackConfig) };
}
