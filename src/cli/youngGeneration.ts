import type { FileSystem } from "../fs/fileSystem.js";

/** A file read at least this big (a manifest of ~4,000 entries, a state of ~500 links) makes a run large. */
export const LARGE_FILE_BYTES = 128 * 1024;
/** Names listed in directories, all together, that make a run large (a glob over a big tree). */
export const LARGE_LISTING = 2000;

/**
 * The CLI's filesystem: `fs`, except that once a run is seen to be large (a big file read, many
 * names listed: what a large manifest, state or glob reads first) V8's young generation is kept
 * at its first size. V8 doubles it each time enough objects survive, up to 2 × 16 MB; a large
 * apply's objects mostly live to its end, so that growth buys memory and copying, not time
 * (10,000 links: peak RSS 109 → 87 MB, CPU −130 ms). A short run is not worth loading node:v8
 * for (~4 ms with the modules it needs), and the plan's progress reports come too late (the
 * young generation has grown while the manifest was parsed).
 */
export function sizingHeap(fs: FileSystem, onLarge = keepYoungGeneration): FileSystem {
  let listed = 0;
  let large = false;
  const seen = (big: boolean) => {
    if (big && !large) {
      large = true;
      onLarge();
    }
  };
  const sized: FileSystem = Object.create(fs) as FileSystem;
  sized.readFile = async (path, maxBytes) => {
    const bytes = await fs.readFile(path, maxBytes);
    seen(bytes.length >= LARGE_FILE_BYTES);
    return bytes;
  };
  sized.readdir = async (path, maxEntries) => {
    const entries = await fs.readdir(path, maxEntries);
    listed += entries.length;
    seen(listed >= LARGE_LISTING);
    return entries;
  };
  return sized;
}

/** Sets V8's young generation to stay at its size, where that was measured to pay. */
export function keepYoungGeneration(): void {
  // Measured on Node 20's V8, where the bin runs from its own code cache (Node 22+ has its own
  // compile cache and V8).
  if (!process.versions.node.startsWith("20.")) return;
  // From the binding node:v8 wraps: loading that module (and the stream modules it loads) took
  // 3.5-8 ms and ~120 page faults of a large run. Node 20's releases have ended, so the binding
  // no longer changes; its deprecation warning is kept quiet for this one call.
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    const withBinding = process as unknown as { binding(name: "v8"): V8Binding };
    withBinding.binding("v8").setFlagsFromString("--semi-space-growth-factor=1");
  } catch {
    // No binding: the young generation grows as V8 decides, which costs memory, not results.
  } finally {
    process.noDeprecation = quiet;
  }
}

/** The one function of Node 20's internal V8 binding used here. */
interface V8Binding {
  setFlagsFromString(flags: string): void;
}
