// npm run image: builds the container image (Containerfile) with buildah, on a base made from
// Debian's packages (no registry needed) or on the one given, and says how big it is.
//
//   npm run image                                                    # Debian trixie base (mmdebstrap)
//   npm run image -- --base docker.io/library/node:20-bookworm-slim  # a registry's node image
//   npm run image -- --force                                         # rebuild even if current
import { parseArgs } from "node:util";
import { buildImage } from "./image/build";
import { imageSize } from "./image/buildah";

const { values } = parseArgs({ options: { base: { type: "string" }, force: { type: "boolean", default: false } } });
try {
  const r = buildImage({ base: values.base, force: values.force, log: console.log });
  console.log(`${r.image}: ${r.built ? `built in ${r.seconds} s` : "current (its inputs are unchanged)"}, ${imageSize(r.image)}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
