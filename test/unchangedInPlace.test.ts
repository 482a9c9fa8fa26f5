import { describe, expect, it } from "vitest";
import { act, assemblePlan, type Action } from "../src/engine/action.js";
import { refusedResult, unchangedResult } from "../src/engine/apply.js";
import { DEFAULT_OPTIONS } from "../src/manifest/manifest.js";

const place = { file: "/m/links.yaml", line: 3, column: 5, path: "links.0" };
const subject = {
  kind: "symlink" as const,
  link: "/h/.vimrc",
  target: "/m/vim/vimrc",
  found: { type: "symlink" as const, linkTarget: "/m/vim/vimrc" },
  options: DEFAULT_OPTIONS,
  place,
};
const recipe = { text: "/m/vim/vimrc", type: "file" as const };

const planOf = (): Action[] => [
  act.skip(subject, "desired-link", "up-to-date"),
  act.skip(subject, "take-over", "up-to-date", "already linked as declared"),
  act.skip({ ...subject, options: null, place: null }, "stale", "stale", "why", "what to do"),
  act.conflict(subject, "in-the-way", "a file is in the way", "use backup"),
  act.error({ ...subject, options: null, place: null }, "linkman-state", "no"),
  act.create(subject, "nothing-there", recipe),
];

describe("a session's plan that changes nothing", () => {
  it("is reported as refusedResult reports it, field for field and in order, but not refused", () => {
    const copied = refusedResult(assemblePlan("/m/links.yaml", planOf()));
    const inPlace = unchangedResult(assemblePlan("/m/links.yaml", planOf()));
    expect(JSON.stringify(inPlace)).toBe(JSON.stringify({ ...copied, refused: false }));
  });

  it("gives its own actions their results instead of copying them", () => {
    const plan = assemblePlan("/m/links.yaml", planOf());
    const first = plan.actions[0];
    expect(unchangedResult(plan).actions[0]).toBe(first);
  });

  it("is not what a plan given to refusedResult gets: that plan is left as it was", () => {
    const plan = assemblePlan("/m/links.yaml", planOf());
    const before = JSON.stringify(plan);
    refusedResult(plan);
    expect(JSON.stringify(plan)).toBe(before);
  });
});
