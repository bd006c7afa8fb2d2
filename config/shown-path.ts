import * as path from "path";

/** A file as messages show it: relative to the working directory, the same in every message. */
export function shownPath(file: string, cwd = process.cwd()): string {
  return path.relative(cwd, path.resolve(cwd, file)) || ".";
}
