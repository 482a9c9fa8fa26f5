import { randomBytes } from "node:crypto";
import path from "node:path";

/** A name beside `file` for something being made, that nobody can guess in advance. */
export function temporaryName(file: string): string {
  const random = randomBytes(6).toString("hex");
  return path.join(path.dirname(file), `.${path.basename(file)}.linkman-${process.pid}-${random}`);
}
