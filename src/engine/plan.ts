import type { FileSystem } from "../fs/fileSystem.js";
import type { DesiredLink } from "../resolve/desiredLink.js";
import path from "node:path";
import type { LinkRecord } from "../state/state.js";
import type { Action, Found, Plan } from "./action.js";
import { act, assemblePlan } from "./action.js";
import { errorCode } from "../fs/fileSystem.js";
import { decide, subjectOf } from "./decide.js";
import { rootsFor, type Root } from "./roots.js";
import { Observer } from "./observe.js";

/** What planning needs: the filesystem (read only is enough) and the run's settings. */
export interface PlanContext {
  fs: FileSystem;
  platform: string;
  homedir: string;
  /** Absolute path of the manifest; its directory is a root links may be made under. */
  manifest: string;
  /** `--allow-outside DIR`: more directories links may be made under. */
  allowOutside?: readonly string[];
  /** `--force`: entries whose policy is `fail` back up what is in the way. */
  force?: boolean;
  /**
   * Link paths where a symlink is likely (the symlinks and junctions the state records):
   * read as links first, one call instead of two when they are. Whatever is really there is
   * still found.
   */
  likelyLinks?: { has(link: string): boolean };
  /** The links the state records, by link path: a hard link linkman made is told from the user's file. */
  records?: ReadonlyMap<string, LinkRecord>;
  /** Called after each link is looked at, with how many are done, for a progress indicator. */
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** The roots (`rootsFor` of this context), when the caller has them already. */
  roots?: readonly Root[];
}

/** How many paths are observed at once. */
const OBSERVE_CONCURRENCY = 16;

/**
 * Looks at the disk for every desired link and decides each action: the plan. Reads
 * only; `apply` carries it out.
 */
export async function planLinks(links: readonly DesiredLink[], ctx: PlanContext): Promise<Plan> {
  const roots = ctx.roots ?? (await rootsFor(ctx.fs, ctx));
  // rootsFor lists home, then the manifest's directory: the repository a home may be folded into.
  const repository = roots[1] ?? {
    path: path.dirname(ctx.manifest),
    real: path.dirname(ctx.manifest),
  };
  const observer = new Observer(ctx.fs, ctx.platform, ctx.likelyLinks, {
    repository,
    roots: roots.map((r) => r.path),
  });
  const settings = {
    platform: ctx.platform,
    roots,
    force: ctx.force ?? false,
    manifest: ctx.manifest,
    ...(ctx.records ? { records: ctx.records } : {}),
  };
  const folded = new Map<string, Found>();
  // How many links each directory holds that will be looked at (not read as recorded links):
  // where many share one, it is listed once instead of an lstat each (where and when:
  // Observer.lookUpAndList decides).
  const counts = new Map<string, number>();
  for (const link of links) {
    if (ctx.likelyLinks?.has(link.link)) continue;
    const dir = path.dirname(link.link);
    counts.set(dir, (counts.get(dir) ?? 0) + 1);
  }
  // A loop of OBSERVE_CONCURRENCY workers, as mapLimit runs, with each link's step inline:
  // one async call less per link than a callback (at 10,000 links, 6 MB of allocation).
  const actions = new Array<Action>(links.length);
  let next = 0;
  let looked = 0;
  const worker = async () => {
    while (next < links.length) {
      const index = next++;
      const link = links[index]!;
      try {
        // The observer's steps inline, not an async call per link (a suspended frame each): a
        // recorded link is read first, one call instead of two; any failure (not a link,
        // nothing there) is found out by found's lstat.
        let text: string | undefined;
        if (ctx.likelyLinks?.has(link.link)) {
          try {
            text = await ctx.fs.readlink(link.link);
          } catch {
            text = undefined;
          }
        }
        let found: Found | undefined;
        // An up-to-date link's text is its target: that string is kept, and readlink's dies
        // young instead of living in the plan to its end (10,000 of them).
        if (text !== undefined)
          found = observer.linkFound(text === link.target ? link.target : text);
        else {
          // Nothing there, known without an lstat, in a directory that does not exist or
          // whose listing lacks the name; a symlink the listing shows is read first. (Not
          // awaiting a directory already prepared saved nothing measurable.)
          const dir = path.dirname(link.link);
          await observer.prepare(dir, counts.get(dir) ?? 0);
          const listed = observer.listed(dir, link.link);
          found =
            listed === "missing"
              ? { type: "missing" }
              : await observer.found(link.link, link.kind === "wrapper", listed === "symlink");
        }
        const observed = observer.observe(link, found);
        const seen = observed instanceof Promise ? await observed : observed;
        const action = decide(link, seen, settings);
        if (seen.folded && (action.op === "create" || action.op === "replace"))
          folded.set(seen.folded, await observer.found(seen.folded));
        actions[index] = action;
      } catch (error) {
        actions[index] = cannotLook(link, error);
      } finally {
        ctx.onProgress?.(++looked, links.length);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(OBSERVE_CONCURRENCY, links.length) }, worker));
  // Each folded directory link is unfolded before the links below it are made.
  const unfolds = [...folded]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([dir, found]) =>
      act.unfold(
        {
          kind: "symlink",
          link: dir,
          target:
            found.type === "symlink" ? path.resolve(path.dirname(dir), found.linkTarget) : dir,
          found,
          options: null,
          place: null,
        },
        "a directory link into the repository (Stow folding) becomes a directory holding one link per file",
      ),
    );
  // Most plans unfold nothing: their actions are kept as they are, not spread into a copy.
  return assemblePlan(ctx.manifest, unfolds.length ? [...unfolds, ...actions] : actions);
}

/** The action for a link whose path or target could not be looked at (EACCES, ELOOP, …). */
function cannotLook(link: DesiredLink, error: unknown): Action {
  const code = errorCode(error) ?? (error instanceof Error ? error.message : String(error));
  const where = (error as { path?: unknown }).path;
  return act.error(
    subjectOf(link, { type: "other" }),
    "cannot-look",
    `cannot look at ${typeof where === "string" ? where : link.link}: ${code}`,
    "check the permissions of the directories on the way",
  );
}
