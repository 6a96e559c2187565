// Debian packages the lab and the browser tests need, installed on demand (CI runs as root on a
// fresh machine; a developer without root gets the exact apt-get line to run).
import { spawnSync } from "node:child_process";

const installed = (pkg: string) => spawnSync("dpkg", ["-s", pkg], { stdio: "ignore" }).status === 0;

export function ensureDebianPackages(pkgs: string[], log: (l: string) => void = console.log) {
  const missing = pkgs.filter((p) => !installed(p));
  if (missing.length === 0) return;
  const line = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages: ${missing.join(", ")}. Install them with: sudo ${line}`);
  log(`installing Debian packages: ${missing.join(", ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env }).status !== 0) throw new Error("apt-get update failed");
  if (spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { stdio: "inherit", env }).status !== 0) {
    throw new Error(`${line} failed`);
  }
}
