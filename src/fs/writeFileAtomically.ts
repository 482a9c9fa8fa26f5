import { randomBytes } from "node:crypto";
import path from "node:path";
import { ensureDirectory } from "./ensureDirectory.js";
import type { FileSystem } from "./fileSystem.js";
import { errorCode } from "./fileSystem.js";

/**
 * Writes a file so a reader sees the old content or the new, never half, even after a power
 * loss: a new temporary file beside it, flushed, renamed over it, and the directory flushed.
 */
export async function writeFileAtomically(
  fs: FileSystem,
  file: string,
  text: string | readonly Uint8Array[],
): Promise<void> {
  await ensureDirectory(fs, path.dirname(file));
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    await fs.writeNewFile(temporary, text);
  } catch (error) {
    // Written partway (a full disk): removed. Already there (EEXIST): not this run's to remove.
    if (errorCode(error) !== "EEXIST") await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
  try {
    await fs.rename(temporary, file);
    await fs.syncDirectory(path.dirname(file));
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
}
