// Fresh PKI for a lab, generated with openssl: a CA, the apiserver's serving certificate,
// client certificates for admin and the two controllers, and the service-account key pair.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const openssl = (cwd: string, ...args: string[]) => run("openssl", args, { cwd });

/** Client identities the lab issues: file stem -> certificate subject. */
export const LAB_CLIENTS = {
  admin: "/O=system:masters/CN=node-rescue-lab-admin",
  kcm: "/CN=system:kube-controller-manager",
  sched: "/CN=system:kube-scheduler",
} as const;
export type TLabClient = keyof typeof LAB_CLIENTS;

async function signedCert(dir: string, stem: string, subject: string, extfile?: string) {
  await openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${stem}.key`, "-out", `${stem}.csr`, "-subj", subject);
  await openssl(
    dir,
    "x509",
    "-req",
    "-in",
    `${stem}.csr`,
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-set_serial",
    `0x${randomBytes(8).toString("hex")}`,
    "-days",
    "3650",
    "-out",
    `${stem}.crt`,
    ...(extfile ? ["-extfile", extfile] : []),
  );
}

/** Generates the PKI into `dir` unless it is already there. */
export async function ensurePki(dir: string) {
  if (existsSync(join(dir, "sa.pub"))) return;
  await openssl(
    dir,
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "3650",
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-subj",
    "/CN=node-rescue-lab-ca",
  );
  writeFileSync(
    join(dir, "san.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1\n",
  );
  // In parallel: each certificate gets a random serial (-CAcreateserial would race on ca.srl).
  await Promise.all([
    signedCert(dir, "apiserver", "/CN=kube-apiserver", "san.ext"),
    ...Object.entries(LAB_CLIENTS).map(([stem, subject]) => signedCert(dir, stem, subject)),
    openssl(dir, "genrsa", "-out", "sa.key", "2048").then(() => openssl(dir, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub")),
  ]);
}
