// Deploying node-rescue, proven on the modern control plane: the Helm chart lints, renders what
// deploy/manifests holds, renders the objects a demanding operator expects (probes, securityContext,
// anti-affinity, PDB, tolerations), and the API server accepts both profiles and every option
// (server-side dry run). Then the shipped RBAC, applied for real: the dashboard runs with the
// ServiceAccount's token — once from a kubeconfig, once as in a pod (token file, CA,
// KUBERNETES_SERVICE_HOST/PORT) — watches, leads through its Lease and performs every action.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  loadAllYaml,
  type V1Deployment,
  type V1PodDisruptionBudget,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type TDb } from "@/lib/db";
import type { TNodesView } from "@/lib/views/nodes";
import { CHART_DIR, helm, manifestPath, PROFILES, renderProfile, type TProfile } from "@/scripts/deploy/render";
import { kubeProfile } from "@/scripts/lab/kube-versions";
import { kubeletStart, kubeletStop } from "@/scripts/lab/lab";
import { createTestToken, startTestApp, type TTestApp, testDatabase } from "../helpers/app";
import { startTestLab } from "../helpers/lab";
import { waitUntil } from "../helpers/wait";

const NS = "node-rescue";
const objectsOf = (profile: TProfile) => loadAllYaml(readFileSync(manifestPath(profile), "utf8")) as KubernetesObject[];
const find = <T extends KubernetesObject>(objects: KubernetesObject[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name)) as T | undefined;
const RBAC_KINDS = new Set(["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]);

describe("deploying node-rescue on the modern control plane", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let kc: KubeConfig;
  let core: CoreV1Api;
  const kubectl = (args: string[], input?: string) =>
    spawnSync(join(kubeProfile("modern").binDir, "kubectl"), ["--kubeconfig", lab.kubeconfig, ...args], { encoding: "utf8", input });

  beforeAll(async () => {
    lab = await startTestLab({ kube: "modern", scenario: "seed" });
    kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    // As an operator would (kubectl apply needs what --save-config records); a server-side dry run
    // creates nothing, so the manifests' namespaced objects need their namespace for real.
    const ns = kubectl(["create", "namespace", NS, "--save-config"]);
    if (ns.status !== 0) throw new Error(ns.stderr);
  });
  afterAll(async () => {
    await lab?.down();
  });

  describe("the Helm chart and the plain manifests", () => {
    it("helm lint passes for both profiles, and a wrong profile fails with its reason", () => {
      for (const profile of PROFILES) expect(helm(["lint", CHART_DIR, "--set", `profile=${profile}`])).toMatch(/0 chart\(s\) failed/);
      expect(() => renderProfile("single", ["profile=cluster"])).toThrow(/profile must be single or ha, not "cluster"/);
      expect(() => renderProfile("ha", ["replicas=1"])).toThrow(/profile ha needs replicas >= 2/);
      expect(() => renderProfile("single", ["replicas=2"])).toThrow(/profile single runs exactly one replica/);
    });

    it("deploy/manifests holds exactly what the chart renders (npm run manifests)", () => {
      for (const profile of PROFILES) {
        expect(readFileSync(manifestPath(profile), "utf8"), `deploy/manifests/${profile}.yaml is stale: run npm run manifests`).toBe(
          renderProfile(profile),
        );
      }
    });

    it("ha: two replicas on PostgreSQL, one per node, a PDB, short tolerations, a leader Lease; hardened like single", () => {
      const ha = objectsOf("ha");
      const deployment = find<V1Deployment>(ha, "Deployment", NS);
      const pod = deployment?.spec?.template.spec;
      const container = pod?.containers[0];
      expect(deployment?.spec?.replicas).toBe(2);
      expect(pod?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.topologyKey).toBe(
        "kubernetes.io/hostname",
      );
      expect(pod?.tolerations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: "node.kubernetes.io/unreachable", effect: "NoExecute", tolerationSeconds: 30 }),
          expect.objectContaining({ key: "node.kubernetes.io/not-ready", effect: "NoExecute", tolerationSeconds: 30 }),
        ]),
      );
      expect(find<V1PodDisruptionBudget>(ha, "PodDisruptionBudget", NS)?.spec?.minAvailable).toBe(1);
      const env = new Map(container?.env?.map((e) => [e.name, e]));
      expect(env.get("DATABASE_URL")?.valueFrom?.secretKeyRef).toEqual({ name: NS, key: "DATABASE_URL" });
      expect(env.get("NODE_RESCUE_SECRET")?.valueFrom?.secretKeyRef).toEqual({ name: NS, key: "NODE_RESCUE_SECRET" });
      expect(env.get("NODE_RESCUE_LEADER_ELECTION")?.value).toBe("on");
      expect(env.get("NODE_RESCUE_INSTANCE_NAME")?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.name");
      expect(find(ha, "Role", `${NS}-leader`)).toBeDefined();

      for (const profile of PROFILES) {
        const objects = objectsOf(profile);
        const spec = find<V1Deployment>(objects, "Deployment", NS)?.spec?.template.spec;
        const c = spec?.containers[0];
        expect(spec?.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        expect(c?.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
        expect(c?.readinessProbe?.httpGet?.path).toBe("/api/health");
        expect(c?.livenessProbe?.httpGet?.path).toBe("/api/health");
        expect(c?.resources?.limits?.memory).toBeDefined();
        expect(c?.resources?.requests?.cpu).toBeDefined();
        // No secret in any manifest: every secret value is a reference to the Secret.
        for (const e of c?.env ?? []) if (/SECRET|DATABASE_URL/.test(e.name) && e.value) expect(e.value).toMatch(/^file:/);
        expect(find(objects, "NetworkPolicy", NS)).toBeDefined();
        expect(find(objects, "Secret")).toBeUndefined();
      }
      const single = objectsOf("single");
      const one = find<V1Deployment>(single, "Deployment", NS);
      expect(one?.spec?.replicas).toBe(1);
      expect(one?.spec?.strategy?.type).toBe("Recreate");
      expect(one?.spec?.template.spec?.volumes?.find((v) => v.name === "data")?.persistentVolumeClaim?.claimName).toBe(`${NS}-data`);
      expect(find(single, "PodDisruptionBudget")).toBeUndefined();
      expect(find(single, "Role", `${NS}-leader`)).toBeUndefined();
    });

    it("the API server accepts both manifests and the chart with every option (kubectl apply --dry-run=server)", async () => {
      for (const profile of PROFILES) {
        const r = kubectl(["apply", "--dry-run=server", "-f", manifestPath(profile)]);
        expect(r.stderr, `${profile}: ${r.stderr}`).toBe("");
        expect(r.stdout).toMatch(/deployment.apps\/node-rescue created \(server dry run\)/);
      }
      const everything = renderProfile("ha", [
        "ingress.enabled=true",
        "ingress.className=nginx",
        "ingress.tls[0].secretName=node-rescue-tls",
        "ingress.tls[0].hosts[0]=node-rescue.example.com",
        "oidc.issuer=https://sso.example.com",
        "oidc.clientId=node-rescue",
        "rbac.clusterApi=true",
        "networkPolicy.from[0].namespaceSelector.matchLabels.name=ingress",
        "extraEnv.NODE_RESCUE_DEAD_AFTER_SECONDS=600",
      ]);
      const r = kubectl(["apply", "--dry-run=server", "-f", "-"], everything);
      expect(r.stderr, r.stderr).toBe("");
      expect(r.stdout).toMatch(/ingress.networking.k8s.io\/node-rescue created \(server dry run\)/);
    });
  });

  describe("RBAC: the shipped roles are enough for every feature", () => {
    let db: TDb;
    let databaseUrl: string;
    let token: string;
    let operator: string;
    let admin: string;
    const apps: TTestApp[] = [];
    const dir = mkdtempSync(join(tmpdir(), "node-rescue-rbac-"));

    const act = (app: TTestApp, bearer: string, node: string, slug: string, extra: Record<string, unknown> = {}) =>
      fetch(`${app.url}/api/nodes/${node}/actions/${slug}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ confirm: node, reason: "RBAC test of node-rescue", ...extra }),
      }).then(async (res) => ({ status: res.status, body: await res.json() }));
    const stateOf = async (app: TTestApp, node: string) => (await app.getJson<TNodesView>("/api/nodes")).nodes.find((n) => n.name === node);
    const cluster = () => {
      const c = kc.getCurrentCluster();
      if (!c) throw new Error("the lab's kubeconfig has no cluster");
      return c;
    };

    beforeAll(async () => {
      // The RBAC objects of the ha profile (the superset: the leader Lease's Role too), applied for real.
      const api = KubernetesObjectApi.makeApiClient(kc);
      for (const o of objectsOf("ha").filter((o) => RBAC_KINDS.has(o.kind ?? ""))) await api.create(o);
      token =
        (
          await core.createNamespacedServiceAccountToken({
            name: NS,
            namespace: NS,
            body: { spec: { audiences: [], expirationSeconds: 3600 } },
          })
        ).status?.token ?? "";
      const database = testDatabase();
      databaseUrl = database.url;
      db = createDb(databaseUrl);
      operator = await createTestToken(databaseUrl, "operator");
      admin = await createTestToken(databaseUrl, "admin");
    });
    afterAll(async () => {
      for (const app of apps) await app.stop();
      await db?.$disconnect();
    });

    it("with the ServiceAccount's token in a kubeconfig: connected, every node and heartbeat, the leader Lease taken", async () => {
      const c = cluster();
      const sa = new KubeConfig();
      sa.loadFromOptions({
        clusters: [{ name: "lab", server: c.server, caData: c.caData, caFile: c.caFile }],
        users: [{ name: "node-rescue", token }],
        contexts: [{ name: "node-rescue", cluster: "lab", user: "node-rescue" }],
        currentContext: "node-rescue",
      });
      const kubeconfig = join(dir, "kubeconfig");
      writeFileSync(kubeconfig, sa.exportConfig());
      const app = await startTestApp({
        kubeconfig,
        databaseUrl,
        env: { NODE_RESCUE_LEADER_ELECTION: "on", NODE_RESCUE_NAMESPACE: NS, NODE_RESCUE_DEAD_AFTER_SECONDS: "3" },
      });
      apps.push(app);
      await waitUntil(
        "six Ready nodes with their heartbeats, through the ServiceAccount",
        async () => {
          const nodes = (await app.getJson<TNodesView>("/api/nodes")).nodes;
          return nodes.filter((n) => n.state === "Ready" && n.heartbeat.leaseRenewTime).length === 6;
        },
        60_000,
      );
      const health = await waitUntil("leading through the Lease", async () => {
        const h = await app.getJson("/api/health");
        return h.leader ? h : null;
      });
      expect(health.cluster.connected).toBe(true);
      expect(health.leadership.lastError).toBeNull();
      const lease = kubectl(["get", "lease", "-n", NS, "node-rescue-leader", "-o", "jsonpath={.spec.holderIdentity}"]);
      expect(lease.stdout).toBe(health.leadership.identity);
      expect(app.output.join("")).not.toMatch(/forbidden/i);
    });

    it("every action succeeds through it: cordon, uncordon, drain, force-delete, out-of-service and its removal, delete node, restore", async () => {
      const app = apps[0] as TTestApp;
      for (const slug of ["cordon", "uncordon"]) expect((await act(app, operator, "acp-worker03", slug)).body.outcome).toBe("succeeded");
      const drained = await act(app, operator, "acp-worker03", "drain", { timeoutSeconds: 30 });
      expect(drained.body.outcome, JSON.stringify(drained.body)).toBe("succeeded");
      expect((await act(app, operator, "acp-worker03", "uncordon")).body.outcome).toBe("succeeded");

      // acp-worker01 dies: its pods go Terminating; force-delete them, then the out-of-service taint.
      kubeletStop("acp-worker01", { dir: lab.dir });
      await waitUntil(
        "acp-worker01 dead with Terminating pods",
        async () => {
          const n = await stateOf(app, "acp-worker01");
          return n?.state === "Unknown" && n.stuckPods > 0;
        },
        90_000,
      );
      const forced = await waitUntil(
        "force-delete past the gates",
        async () => {
          const r = await act(app, admin, "acp-worker01", "force-delete-pods");
          return r.status === 200 ? r : null;
        },
        60_000,
        1_000,
      );
      expect(forced.body.outcome, JSON.stringify(forced.body)).toBe("succeeded");
      const oos = await act(app, admin, "acp-worker01", "out-of-service");
      expect(oos.body.outcome, JSON.stringify(oos.body)).toBe("succeeded");
      kubeletStart("acp-worker01", { dir: lab.dir });
      const removed = await waitUntil(
        "the taint's removal, once the node is Ready and empty",
        async () => {
          const r = await act(app, admin, "acp-worker01", "remove-out-of-service");
          return r.status === 200 ? r : null;
        },
        90_000,
        1_000,
      );
      expect(removed.body.outcome, JSON.stringify(removed.body)).toBe("succeeded");

      // acp-worker02 dies: delete node (backup, orphans finished), then restore after it re-registers.
      kubeletStop("acp-worker02", { dir: lab.dir });
      await waitUntil("acp-worker02 Unknown", async () => (await stateOf(app, "acp-worker02"))?.state === "Unknown", 90_000);
      const deleted = await waitUntil(
        "delete node past the gates",
        async () => {
          const r = await act(app, admin, "acp-worker02", "delete");
          return r.status === 200 ? r : null;
        },
        60_000,
        1_000,
      );
      expect(deleted.body.outcome, JSON.stringify(deleted.body)).toBe("succeeded");
      kubeletStart("acp-worker02", { dir: lab.dir });
      await waitUntil("acp-worker02 Ready again", async () => (await stateOf(app, "acp-worker02"))?.state === "Ready", 90_000);
      const restored = await act(app, admin, "acp-worker02", "restore");
      expect(restored.body.outcome, JSON.stringify(restored.body)).toBe("succeeded");

      // As audited: every action succeeded at least once and none failed (Kubernetes refused
      // nothing); the only refusals are our own gates', while the test waited them out.
      const outcomes = await db.auditEvent.findMany({ where: { phase: "outcome" } });
      expect(outcomes.filter((o) => o.outcome === "failed").map((o) => `${o.action}: ${o.message}`)).toEqual([]);
      expect(new Set(outcomes.filter((o) => o.outcome === "succeeded").map((o) => o.action))).toEqual(
        new Set([
          "node.cordon",
          "node.uncordon",
          "node.drain",
          "pods.force-delete",
          "node.out-of-service.apply",
          "node.out-of-service.remove",
          "node.delete",
          "node.restore",
        ]),
      );
      expect(outcomes.filter((o) => o.outcome !== "succeeded").every((o) => o.message?.startsWith("refused by safety gates"))).toBe(true);
    });

    it("in a pod: the service-account token file, CA and KUBERNETES_SERVICE_HOST/PORT, without a kubeconfig", async () => {
      const c = cluster();
      const url = new URL(c.server);
      const secrets = join(dir, "serviceaccount");
      spawnSync("mkdir", ["-p", secrets]);
      writeFileSync(join(secrets, "token"), token);
      writeFileSync(join(secrets, "ca.crt"), c.caFile ? readFileSync(c.caFile) : Buffer.from(c.caData ?? "", "base64"));
      writeFileSync(join(secrets, "namespace"), NS);
      // A mount namespace of its own, where /var/run/secrets/kubernetes.io/serviceaccount is ours.
      const app = await startTestApp({
        kubeconfig: "",
        databaseUrl,
        env: { KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port, NODE_RESCUE_LEADER_ELECTION: "on" },
        wrap: (command, args) => ({
          command: "unshare",
          args: [
            "--mount",
            "sh",
            "-c",
            'mount -t tmpfs tmpfs /run && mkdir -p /run/secrets/kubernetes.io && cp -r "$0" /run/secrets/kubernetes.io/serviceaccount && exec "$@"',
            secrets,
            command,
            ...args,
          ],
        }),
      });
      apps.push(app);
      const health = await waitUntil("connected in-cluster", async () => {
        const h = await app.getJson("/api/health");
        return h.cluster.connected ? h : null;
      });
      expect(health.cluster).toMatchObject({ source: "in-cluster" });
      // The Lease's namespace came from the pod's own namespace file.
      expect(health.leadership.lease).toBe(`${NS}/node-rescue-leader`);
      expect((await app.getJson<TNodesView>("/api/nodes")).nodes.filter((n) => n.state === "Ready")).toHaveLength(6);
    });
  });
});
