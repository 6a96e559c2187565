// The few buildah commands the image scripts need, always with chroot isolation: buildah's default
// (OCI runtime in a cgroup) fails on this kind of machine ("cgroups in hybrid mode not supported"),
// and podman/crun cannot set rlimits here. What buildah prints about an image is parsed with zod.
import { spawnSync } from "node:child_process";
import { z } from "zod";

export const ISOLATION = ["--isolation", "chroot"];

/** Runs buildah; returns its stdout, throws with its stderr on failure. */
export function buildah(args: string[], opts: { inherit?: boolean } = {}): string {
  const r = spawnSync("buildah", args, { encoding: "utf8", stdio: opts.inherit ? ["ignore", "inherit", "inherit"] : "pipe" });
  if (r.status !== 0) throw new Error(`buildah ${args.join(" ")} failed (exit ${r.status ?? r.signal}): ${r.stderr ?? ""}`);
  return r.stdout ?? "";
}

const ZImage = z.object({
  FromImageID: z.string(),
  OCIv1: z.object({
    config: z
      .object({
        User: z.string().optional(),
        Entrypoint: z.array(z.string()).nullish(),
        Cmd: z.array(z.string()).nullish(),
        Labels: z.record(z.string(), z.string()).nullish(),
      })
      .default({}),
  }),
});
export type TImage = z.infer<typeof ZImage>;

/** The image's id and configuration, or null when there is no such image in local storage. */
export function inspectImage(ref: string): TImage | null {
  const r = spawnSync("buildah", ["inspect", "--type", "image", ref], { encoding: "utf8" });
  return r.status === 0 ? ZImage.parse(JSON.parse(r.stdout)) : null;
}

const ZImages = z.array(z.object({ size: z.string() })).min(1);

/** The image's size as buildah reports it ("412 MB"). */
export const imageSize = (ref: string): string => ZImages.parse(JSON.parse(buildah(["images", "--json", ref])))[0]?.size ?? "";
