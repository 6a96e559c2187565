// The image's inputs, for its stamp: the files of the build context (the repository minus
// .containerignore, read the way buildah reads it) with their contents, and whatever else the
// build is told. Equal digests, equal images: a warm machine skips the build (scripts/image/build.ts).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

type TRule = { negate: boolean; re: RegExp };

const globToRegExp = (glob: string) =>
  glob
    .split(/(\*\*\/|\*|\?)/)
    .map((part) => {
      if (part === "**/") return "(?:.*/)?";
      if (part === "*") return "[^/]*";
      if (part === "?") return "[^/]";
      return part.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    })
    .join("");

/** .containerignore's lines as rules; a pattern names a path from the context's root, and everything under it. */
export const parseIgnore = (text: string): TRule[] =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const negate = line.startsWith("!");
      const pattern = (negate ? line.slice(1) : line).replace(/^\/+|\/+$/g, "");
      return { negate, re: new RegExp(`^${globToRegExp(pattern)}(?:/.*)?$`) };
    });

/** Whether `path` (relative, `/`-separated) is left out of the context: the last rule that matches decides. */
export const isIgnored = (rules: TRule[], path: string) =>
  rules.reduce((ignored, rule) => (rule.re.test(path) ? !rule.negate : ignored), false);

/** The context's files, sorted. A directory is entered unless it is ignored and no `!` rule could bring anything back. */
export function contextFiles(root: string, rules: TRule[]): string[] {
  const reincludes = rules.some((r) => r.negate);
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) return isIgnored(rules, path) && !reincludes ? [] : walk(path);
      return isIgnored(rules, path) ? [] : [path];
    });
  return walk("").sort();
}

/** sha256 over every context file's path and content, and `extra` (the base image's id, build arguments). */
export function contextDigest(root: string, extra: string[]): string {
  const rules = parseIgnore(readFileSync(join(root, ".containerignore"), "utf8"));
  const hash = createHash("sha256");
  for (const path of contextFiles(root, rules))
    hash
      .update(`${path}\0`)
      .update(readFileSync(join(root, path)))
      .update("\0");
  for (const item of extra) hash.update(`${item}\0`);
  return hash.digest("hex");
}
