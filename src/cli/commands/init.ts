import path from "node:path";
import { ExitCode } from "../../exitCode.js";
import { errorCode } from "../../fs/fileSystem.js";
import { schemaPath } from "../../packageInfo.js";
import type { Output } from "../output.js";
import { starterManifest } from "../starter.js";

/** `linkman init`: writes a commented starter `links.yaml` (or `-c FILE`); never overwrites. */
export async function initCommand(out: Output): Promise<ExitCode> {
  const { fs } = out.io;
  const file = path.resolve(out.io.cwd, out.options.config ?? "links.yaml");
  try {
    await fs.writeNewFile(file, starterManifest(schemaPath()));
  } catch (error) {
    const code = errorCode(error);
    if (code === "EEXIST") {
      out.error(`${out.showPath(file)} already exists; linkman init never overwrites a file`);
      out.info("edit it, or pass another path with -c FILE");
    } else {
      out.error(`cannot write ${out.showPath(file)}: ${code ?? String(error)}`);
    }
    return ExitCode.failure;
  }
  out.info(`Wrote ${out.showPath(file)}. Next: edit it, then run \`linkman validate\`.`);
  return ExitCode.ok;
}
