import { describe, expect, it } from "vitest";
import { act, assemblePlan, type Action } from "../src/engine/action.js";
import { refusedResult } from "../src/engine/apply.js";
import { DEFAULT_OPTIONS } from "../src/manifest/manifest.js";

const options = DEFAULT_OPTIONS;
const place = { file: "/m/links.yaml", line: 3, column: 5, path: "links.0", text: "", length: 1 };
const subject = {
  kind: "symlink" as const,
  link: "/h/.vimrc",
  target: "/m/vim/vimrc",
  found: { type: "symlink" as const, linkTarget: "/m/vim/vimrc" },
  options,
  place,
};
const recipe = { text: "/m/vim/vimrc", type: "file" as const };
const unchanged = {
  result: "unchanged",
  error: null,
  movedTo: null,
  fallback: null,
  identity: null,
};

const actions: [string, Action][] = [
  ["an up-to-date skip", act.skip(subject, "desired-link", "up-to-date")],
  ["a skip with a message and a hint", act.skip(subject, "stale", "stale", "why", "what to do")],
  ["a conflict", act.conflict(subject, "in-the-way", "a file is in the way", "use backup")],
  ["an error", act.error({ ...subject, options: null, place: null }, "linkman-state", "no")],
  ["a create", act.create(subject, "nothing-there", recipe as never)],
];

describe("an action that was not applied", () => {
  it.each(actions)(
    "%s is reported as the action with the result unchanged, field for field and in order",
    (_, action) => {
      const [applied] = refusedResult(assemblePlan("/m/links.yaml", [action])).actions;
      expect(JSON.stringify(applied)).toBe(JSON.stringify({ ...action, ...unchanged }));
    },
  );
});
