// The base image for machines without a registry: Debian trixie (its nodejs is 20.19; bookworm's
// is 18) made by mmdebstrap from Debian's packages and imported with buildah, in place of
// node:20-bookworm-slim. It is kept in buildah's storage under a label naming its recipe, so it is
// made once (about a minute) and again only when the recipe changes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildah, inspectImage } from "./buildah";

export const DEBIAN_BASE = "localhost/node-rescue-base:trixie";
const RECIPE_LABEL = "io.node-rescue.base-recipe";
const RECIPE = ["mmdebstrap", "--variant=minbase", "--include=nodejs,ca-certificates", "trixie"];

/** Whether DEBIAN_BASE is in local storage, made by this recipe. */
export const debianBaseCurrent = () => inspectImage(DEBIAN_BASE)?.OCIv1.config.Labels?.[RECIPE_LABEL] === RECIPE.join(" ");

/** Makes DEBIAN_BASE unless it is current; returns its reference. */
export function ensureDebianBase(log: (line: string) => void): string {
  if (debianBaseCurrent()) return DEBIAN_BASE;
  log(`making the base image ${DEBIAN_BASE} from Debian's packages (${RECIPE.join(" ")}, about a minute)`);
  const dir = mkdtempSync(join(tmpdir(), "node-rescue-base-"));
  try {
    const tar = join(dir, "base.tar");
    const [command = "mmdebstrap", ...args] = RECIPE;
    const r = spawnSync(command, ["--quiet", ...args, tar], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) throw new Error(`${RECIPE.join(" ")} failed (exit ${r.status ?? r.signal})`);
    const container = buildah(["from", "scratch"]).trim();
    try {
      buildah(["add", "--quiet", container, tar, "/"]);
      buildah(["config", "--label", `${RECIPE_LABEL}=${RECIPE.join(" ")}`, "--cmd", "/bin/sh", container]);
      buildah(["commit", "--quiet", container, DEBIAN_BASE]);
    } finally {
      buildah(["rm", container]);
    }
    return DEBIAN_BASE;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
