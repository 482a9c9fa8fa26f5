import type { LinkRecord } from "../../src/state/state.js";

/** A valid state record of a symlink at `link` to /dots/vim/vimrc, with `extra` fields over it. */
export const linkRecord = (link: string, extra: Partial<LinkRecord> = {}): LinkRecord => ({
  link,
  kind: "symlink",
  target: "/dots/vim/vimrc",
  text: "/dots/vim/vimrc",
  dev: null,
  ino: null,
  previous: null,
  backup: null,
  createdAt: "2024-01-01T00:00:00.000Z",
  ...extra,
});
