import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode } from "../fs/fileSystem.js";
import { needsRmdirForLink } from "../platform.js";

/** Removes a link: unlink, or rmdir for a directory link where the platform wants that (Windows). Never recursive. */
export async function removeLink(fs: FileSystem, platform: string, p: string): Promise<void> {
  try {
    await fs.unlink(p);
  } catch (error) {
    if (!needsRmdirForLink(platform, errorCode(error))) throw error;
    await fs.rmdir(p);
  }
}
