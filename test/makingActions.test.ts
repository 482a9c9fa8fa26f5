import { describe, expect, it } from "vitest";
import { act } from "../src/engine/action.js";
import { DEFAULT_OPTIONS } from "../src/manifest/manifest.js";

const place = { file: "/m/links.yaml", line: 3, column: 5, path: "links.0", text: "", length: 1 };
/** A subject carrying more than its own fields, as the planner's values do. */
const subject = {
  kind: "symlink" as const,
  link: "/h/.vimrc",
  target: "/m/vim/vimrc",
  found: { type: "missing" as const },
  options: DEFAULT_OPTIONS,
  place,
  entry: { unrelated: true },
};
const recipe = { text: "/m/vim/vimrc", type: "file" as const };

/** The subject's own fields, in the order every action writes them. */
const own = {
  kind: subject.kind,
  link: subject.link,
  target: subject.target,
  found: subject.found,
  options: subject.options,
  place: subject.place,
};

describe("an action that makes a link", () => {
  it.each([
    [
      "a create",
      act.create(subject, "nothing-there", recipe),
      { op: "create", rule: "nothing-there", ...own, reason: null, backup: null, message: null },
    ],
    [
      "a create with a message",
      act.create(subject, "nothing-there", recipe, "why"),
      { op: "create", rule: "nothing-there", ...own, reason: null, backup: null, message: "why" },
    ],
    [
      "a replace with a backup",
      act.replace(subject, "in-the-way", recipe, "moved aside", "/h/.vimrc.linkman-backup"),
      {
        op: "replace",
        rule: "in-the-way",
        ...own,
        reason: null,
        backup: "/h/.vimrc.linkman-backup",
        message: "moved aside",
      },
    ],
    [
      "a replace without one",
      act.replace(subject, "link-elsewhere", recipe, "relinked"),
      {
        op: "replace",
        rule: "link-elsewhere",
        ...own,
        reason: null,
        backup: null,
        message: "relinked",
      },
    ],
    [
      "an adopt",
      act.adopt(subject, recipe, "moved in"),
      { op: "adopt", rule: "adopt", ...own, reason: null, backup: null, message: "moved in" },
    ],
  ])(
    "%s holds the subject's own fields and no others, in the order plans are written",
    (_, action, expected) => {
      expect(JSON.stringify(action)).toBe(JSON.stringify({ ...expected, hint: null, recipe }));
      expect(Object.keys(action)).toEqual(Object.keys({ ...expected, hint: null, recipe }));
    },
  );
});
