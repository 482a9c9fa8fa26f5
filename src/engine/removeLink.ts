import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode } from "../fs/fileSystem.js";
import { needsRmdirForLink } from "../platform.js";

/**
 * Removes a link: unlink, or rmdir for a directory link where the platform wants that
 * (Windows). Never recursive. When rmdir finds no directory link there either, unlink's
 * error is the one that says what went wrong.
 */
export async function removeLink(fs: FileSystem, platform: string, p: string): Promise<void> {
  try {
    await fs.unlink(p);
  } catch (error) {
    if (!needsRmdirForLink(platform, errorCode(error))) throw error;
    await fs.rmdir(p).catch((rmdirError: unknown) => {
      throw errorCode(rmdirError) === "ENOTDIR" ? error : rmdirError;
    });
  }
}
