// Deploying node-rescue, proven on the modern control plane: the Helm chart lints, renders what
// deploy/manifests holds, renders the objects a demanding operator expects (probes, securityContext,
// anti-affinity, PDB, tolerations), and the API server accepts both profiles and every option
// (server-side dry run). Then the shipped RBAC, applied for real: the dashboard runs with the
// ServiceAccount's token — once from a kubeconfig, once as in a pod (token file, CA,
// KUBERNETES_SERVICE_HOST/PORT) — watches, leads through its Lease and performs every action. And
// the reverse: each verb of each rule, taken away on the API server, breaks the feature named
// beside it in deploy/chart/templates/rbac.yaml — so no rule is there without a reason.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  loadAllYaml,
  type V1ClusterRole,
  type V1Deployment,
  type V1PodDisruptionBudget,
  type V1PolicyRule,
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
    const kubeconfig = join(dir, "kubeconfig");
    /** The ServiceAccount's own credentials (a kubeconfig with its token). */
    let sa: KubeConfig;

    const act = (app: TTestApp, bearer: string, node: string, slug: string, extra: Record<string, unknown> = {}) =>
      fetch(`${app.url}/api/nodes/${node}/actions/${slug}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ confirm: node, reason: "RBAC test of node-rescue", ...extra }),
      }).then(async (res) => ({ status: res.status, body: await res.json() }));
    /** Retries `slug` until the gates let it through (the node dead long enough, back and empty…). */
    const actOnceAllowed = (app: TTestApp, node: string, slug: string, timeoutMs: number) =>
      waitUntil(
        `${slug} on ${node} past the gates`,
        async () => {
          const r = await act(app, admin, node, slug);
          return r.status === 200 ? r : null;
        },
        timeoutMs,
        1_000,
      );
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
      const database = await testDatabase();
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
      sa = new KubeConfig();
      sa.loadFromOptions({
        clusters: [{ name: "lab", server: c.server, caData: c.caData, caFile: c.caFile }],
        users: [{ name: "node-rescue", token }],
        contexts: [{ name: "node-rescue", cluster: "lab", user: "node-rescue" }],
        currentContext: "node-rescue",
      });
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
      const forced = await actOnceAllowed(app, "acp-worker01", "force-delete-pods", 60_000);
      expect(forced.body.outcome, JSON.stringify(forced.body)).toBe("succeeded");
      const oos = await act(app, admin, "acp-worker01", "out-of-service");
      expect(oos.body.outcome, JSON.stringify(oos.body)).toBe("succeeded");
      kubeletStart("acp-worker01", { dir: lab.dir });
      const removed = await actOnceAllowed(app, "acp-worker01", "remove-out-of-service", 90_000);
      expect(removed.body.outcome, JSON.stringify(removed.body)).toBe("succeeded");

      // acp-worker02 dies: delete node (backup, orphans finished), then restore after it re-registers.
      kubeletStop("acp-worker02", { dir: lab.dir });
      await waitUntil("acp-worker02 Unknown", async () => (await stateOf(app, "acp-worker02"))?.state === "Unknown", 90_000);
      const deleted = await actOnceAllowed(app, "acp-worker02", "delete", 60_000);
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

    describe("each rule is needed: without it, the named feature fails", () => {
      type TRoleRef = { kind: "ClusterRole" | "Role"; name: string; namespace?: string };
      const CLUSTER_ROLE: TRoleRef = { kind: "ClusterRole", name: NS };
      const HEARTBEATS: TRoleRef = { kind: "Role", name: `${NS}-heartbeats`, namespace: "kube-node-lease" };
      const LEADER: TRoleRef = { kind: "Role", name: `${NS}-leader`, namespace: NS };
      const objects = () => KubernetesObjectApi.makeApiClient(kc);
      const read = async (ref: TRoleRef) =>
        (await objects().read({
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace },
        })) as V1ClusterRole;
      /** Whether the ServiceAccount may `verb` `resource` (its own SelfSubjectAccessReview: RBAC changes reach the authorizer asynchronously). */
      const allowed = async (attrs: {
        verb: string;
        group: string;
        resource: string;
        subresource?: string;
        namespace?: string;
        name?: string;
      }) =>
        (await sa.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: attrs } } })).status
          ?.allowed === true;
      /** Removes `verb` from the rule of `ref` that grants it on `resource`, runs `probe`, puts the role back. */
      async function without(
        ref: TRoleRef,
        target: { group: string; resource: string; subresource?: string; verb: string; name?: string },
        probe: () => Promise<void>,
      ) {
        const original = await read(ref);
        const full = target.subresource ? `${target.resource}/${target.subresource}` : target.resource;
        const rules: V1PolicyRule[] = (original.rules ?? []).flatMap((rule) => {
          if (!rule.apiGroups?.includes(target.group) || !rule.resources?.includes(full) || !rule.verbs.includes(target.verb))
            return [rule];
          // Only this resource loses the verb; the rule's other resources keep it.
          const others = rule.resources.filter((r) => r !== full);
          const rest = rule.verbs.filter((v) => v !== target.verb);
          return [
            ...(others.length ? [{ ...rule, resources: others }] : []),
            ...(rest.length ? [{ ...rule, resources: [full], verbs: rest }] : []),
          ];
        });
        expect(rules, `${ref.name} grants ${target.verb} ${full}`).not.toEqual(original.rules);
        const attrs = { ...target, namespace: ref.namespace };
        await objects().replace({ ...original, rules });
        try {
          await waitUntil(`${target.verb} ${full} denied`, async () => !(await allowed(attrs)), 10_000, 100);
          await probe();
        } finally {
          await objects().replace({ ...(await read(ref)), rules: original.rules });
          await waitUntil(`${target.verb} ${full} allowed again`, () => allowed(attrs), 10_000, 100);
        }
      }
      /** A dashboard started now, with the ServiceAccount (watches are authorized when they start). */
      const fresh = async (env: Record<string, string> = {}) => {
        const app = await startTestApp({ kubeconfig, databaseUrl, env: { NODE_RESCUE_DEAD_AFTER_SECONDS: "3", ...env } });
        apps.push(app);
        return app;
      };
      const watchFails = async (what: RegExp) => {
        const app = await fresh();
        try {
          const h = await waitUntil(
            "the watch refused",
            async () => {
              const health = await app.getJson("/api/health");
              return health.cluster.status === "reconnecting" && what.test(health.cluster.error) ? health : null;
            },
            30_000,
          );
          expect(h.cluster.error).toMatch(/forbidden/i);
        } finally {
          await app.stop();
        }
      };
      /** The last audited outcome of `action` on `node` failed, with Kubernetes' 403 as the reason. */
      const refusedByKubernetes = async (action: string, node: string) => {
        const outcome = await db.auditEvent.findFirstOrThrow({
          where: { phase: "outcome", action, target: node },
          orderBy: { id: "desc" },
        });
        expect(outcome.outcome).toBe("failed");
        // The action's own status, or each pod's (a force-delete reports per pod).
        expect(`${outcome.message} ${outcome.k8sStatus} ${outcome.results}`).toMatch(/forbidden/i);
      };

      const WATCHED: Array<{ group: string; resource: string; path: RegExp; feature: string }> = [
        { group: "", resource: "nodes", path: /\/api\/v1\/nodes/, feature: "node health" },
        { group: "", resource: "pods", path: /\/api\/v1\/pods/, feature: "stuck pods, workload impact" },
        { group: "", resource: "persistentvolumeclaims", path: /persistentvolumeclaims/, feature: "volumes of stuck pods" },
        { group: "", resource: "persistentvolumes", path: /persistentvolumes/, feature: "RWO and NFS volumes" },
        { group: "", resource: "events", path: /events/, feature: "node events as evidence" },
        { group: "storage.k8s.io", resource: "volumeattachments", path: /volumeattachments/, feature: "attachments of dead nodes" },
        { group: "apps", resource: "statefulsets", path: /statefulsets/, feature: "workloads down" },
        { group: "apps", resource: "deployments", path: /deployments/, feature: "workloads down" },
        { group: "apps", resource: "replicasets", path: /replicasets/, feature: "pod owners" },
        { group: "apps", resource: "daemonsets", path: /daemonsets/, feature: "DaemonSet pods left on a drain" },
        { group: "policy", resource: "poddisruptionbudgets", path: /poddisruptionbudgets/, feature: "drain plans" },
      ];
      for (const w of WATCHED) {
        for (const verb of ["list", "watch"]) {
          it(`${verb} ${w.group || "core"}/${w.resource} (${w.feature}): the watch does not sync`, async () => {
            await without(CLUSTER_ROLE, { group: w.group, resource: w.resource, verb }, () => watchFails(w.path));
          });
        }
      }
      for (const verb of ["list", "watch"]) {
        it(`${verb} leases in kube-node-lease (heartbeats): the watch does not sync`, async () => {
          await without(HEARTBEATS, { group: "coordination.k8s.io", resource: "leases", verb }, () => watchFails(/leases/));
        });
      }

      it("leases create / get / update in its namespace (leader election): no replica leads", async () => {
        // No replica may hold or take the Lease meanwhile.
        for (const app of apps) await app.stop();
        await objects().delete({
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name: "node-rescue-leader", namespace: NS },
        });
        for (const verb of ["create", "get", "update"]) {
          await without(
            LEADER,
            { group: "coordination.k8s.io", resource: "leases", verb, name: verb === "create" ? undefined : "node-rescue-leader" },
            async () => {
              const candidate = await fresh({ NODE_RESCUE_LEADER_ELECTION: "on", NODE_RESCUE_NAMESPACE: NS });
              try {
                const h = await waitUntil(`the refusal of leases ${verb}`, async () => {
                  const health = await candidate.getJson("/api/health");
                  // Without update it creates the Lease, then cannot renew it: it stops leading 10 s later.
                  return /not allowed to read or write the Lease/.test(health.leadership.lastError ?? "") && !health.leader ? health : null;
                });
                expect(h.leadership.lease).toBe(`${NS}/node-rescue-leader`);
              } finally {
                await candidate.stop();
              }
            },
          );
        }
      });

      it("nodes patch (cordon), pods/eviction create (drain): refused by Kubernetes, audited as failed", async () => {
        const app = await fresh();
        await waitUntil("connected", async () => (await app.getJson("/api/health")).cluster.connected);
        await without(CLUSTER_ROLE, { group: "", resource: "nodes", verb: "patch" }, async () => {
          expect((await act(app, operator, "acp-worker03", "cordon")).body.outcome).not.toBe("succeeded");
          await refusedByKubernetes("node.cordon", "acp-worker03");
        });
        await without(CLUSTER_ROLE, { group: "", resource: "pods", subresource: "eviction", verb: "create" }, async () => {
          const drained = await act(app, operator, "acp-worker03", "drain", { timeoutSeconds: 10 });
          expect(drained.body.outcome).toBe("failed");
          expect(JSON.stringify(drained.body.results)).toMatch(/forbidden/i);
        });
        expect((await act(app, operator, "acp-worker03", "uncordon")).body.outcome).toBe("succeeded");
      });

      it("pods delete (force-delete), nodes get (out-of-service), nodes delete (delete node) on a dead node", async () => {
        const app = apps.at(-1) as TTestApp;
        // Two pods that cannot leave acp-worker03: once it is dead they sit Terminating there.
        await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
          namespace: "default",
          body: {
            metadata: { name: "pinned" },
            spec: {
              replicas: 2,
              selector: { matchLabels: { app: "pinned" } },
              template: {
                metadata: { labels: { app: "pinned" } },
                spec: {
                  nodeSelector: { "kubernetes.io/hostname": "acp-worker03" },
                  containers: [{ name: "c", image: "registry.k8s.io/pause:3.9" }],
                },
              },
            },
          },
        });
        await waitUntil("the pinned pods on acp-worker03", async () => ((await stateOf(app, "acp-worker03"))?.pods ?? 0) >= 2, 60_000);
        kubeletStop("acp-worker03", { dir: lab.dir });
        await waitUntil(
          "acp-worker03 dead, its pods Terminating",
          async () => {
            const n = await stateOf(app, "acp-worker03");
            return n?.state === "Unknown" && n.stuckPods > 0;
          },
          90_000,
        );
        const pastGates = async (slug: string) =>
          waitUntil(
            `${slug} past the gates`,
            async () => {
              const r = await act(app, admin, "acp-worker03", slug);
              return r.body.outcome !== "refused" && !/refused by safety gates/.test(r.body.error?.message ?? "") ? r : null;
            },
            60_000,
            1_000,
          );
        await without(CLUSTER_ROLE, { group: "", resource: "pods", verb: "delete" }, async () => {
          await pastGates("force-delete-pods");
          await refusedByKubernetes("pods.force-delete", "acp-worker03");
        });
        await without(CLUSTER_ROLE, { group: "", resource: "nodes", verb: "get" }, async () => {
          await pastGates("out-of-service");
          await refusedByKubernetes("node.out-of-service.apply", "acp-worker03");
        });
        await without(CLUSTER_ROLE, { group: "", resource: "nodes", verb: "delete" }, async () => {
          await pastGates("delete");
          await refusedByKubernetes("node.delete", "acp-worker03");
        });
        kubeletStart("acp-worker03", { dir: lab.dir });
      });
    });
  });
});
