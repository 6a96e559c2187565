// Kubeconfig files for the lab, written directly (JSON is valid YAML) with embedded credentials.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./state";

export function writeKubeconfig(opts: { path: string; server: string; pkiDir: string; client: string }) {
  const b64 = (file: string) => readFileSync(join(opts.pkiDir, file)).toString("base64");
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "node-rescue-lab", cluster: { server: opts.server, "certificate-authority-data": b64("ca.crt") } }],
    users: [
      { name: opts.client, user: { "client-certificate-data": b64(`${opts.client}.crt`), "client-key-data": b64(`${opts.client}.key`) } },
    ],
    contexts: [{ name: "node-rescue-lab", context: { cluster: "node-rescue-lab", user: opts.client } }],
    "current-context": "node-rescue-lab",
  };
  writeFileAtomic(opts.path, `${JSON.stringify(config, null, 2)}\n`);
}
