import { isBlocked } from "../../engine/action.js";
import { ExitCode } from "../../exitCode.js";
import { NodeFileSystem } from "../../fs/nodeFileSystem.js";
import type { Output } from "../output.js";
import { planFromManifest, printPlan } from "../planning.js";
import { planJson } from "../views/planView.js";

/** `linkman plan`: prints the plan; exit 1 if it holds a conflict or an error. */
export async function planCommand(out: Output): Promise<ExitCode> {
  const plan = await planFromManifest(out, new NodeFileSystem());
  if (!plan) return ExitCode.invalid;
  if (out.options.json) out.json(planJson(plan));
  else printPlan(out, plan);
  return isBlocked(plan) ? ExitCode.failure : ExitCode.ok;
}
