// The seed scenario, modelled on the incident node-rescue exists for: an on-prem cluster whose
// worker acp-worker01 hosts much of Kubeflow and Harbor's Redis (a StatefulSet on an RWO NFS
// volume). When that worker's kubelet stops, the Deployments come back elsewhere; the
// StatefulSet pods stay Terminating until someone deletes the node (or, on 1.26+, taints it out
// of service). On the modern lab Redis' volume is attachable instead (a CSI volume of the lab's
// driver), so that freeing it means detaching a VolumeAttachment, as on most clusters today.
import type { KubernetesObject } from "@kubernetes/client-node";
import { LAB_CSI_DRIVER } from "../sim/attacher";
import type { TSimNode } from "../state";
import { simNode } from "./nodes";

export const SEED_VICTIM = "acp-worker01";
export const SEED_STORAGE_CLASS = "nfs-sc-acp";
/** The attachable volume's class, driver and PV (modern lab). */
export const SEED_CSI_STORAGE_CLASS = "csi-lab-rwo";
export const SEED_REDIS = { namespace: "harbor-registry", statefulSet: "harbor-registry-redis-master" } as const;
export const SEED_REDIS_POD = `${SEED_REDIS.statefulSet}-0`;
export const SEED_REDIS_CLAIM = `data-${SEED_REDIS_POD}`;
export const SEED_REDIS_CSI_PV = "csi-harbor-redis-data";
export type TSeedRedisVolume = "nfs" | "csi";

export const seedNodes = (): TSimNode[] => [
  ...["acp-master01", "acp-master02", "acp-master03"].map((name, i) => simNode({ name, index: i + 1, role: "master" })),
  ...["acp-worker01", "acp-worker02", "acp-worker03"].map((name, i) =>
    simNode({ name, index: i + 4, role: "worker", labels: { "topology.kubernetes.io/zone": `rack-${"abc"[i]}` } }),
  ),
];

/** Labels, annotations and taints an admin put on nodes by hand after they joined. */
export const seedNodeCustomizations = () => ({
  [SEED_VICTIM]: {
    metadata: {
      labels: { "acp.example.com/storage-tier": "nfs-fast", "acp.example.com/gpu": "none" },
      annotations: { "acp.example.com/rack-position": "R12-U07", "acp.example.com/owner": "ml-platform-team" },
    },
    spec: { taints: [{ key: "acp.example.com/dedicated", value: "kubeflow", effect: "PreferNoSchedule" }] },
  },
});

/** Most workloads prefer the victim, so its death hurts as it did in the real incident. */
const preferVictim = {
  nodeAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 100, preference: { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [SEED_VICTIM] }] } },
    ],
  },
};

const podTemplate = (app: string, image: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app } },
  spec: { affinity: preferVictim, containers: [{ name: app.split("-")[0], image, ...extra }] },
});

const deployment = (namespace: string, name: string, replicas: number, image: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace, labels: { app: name } },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: podTemplate(name, image) },
});

const statefulSet = (namespace: string, name: string, image: string, mountPath: string, storageClassName = SEED_STORAGE_CLASS) => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name, namespace, labels: { app: name } },
  spec: {
    serviceName: name,
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: podTemplate(name, image, { volumeMounts: [{ name: "data", mountPath }] }),
    volumeClaimTemplates: [
      {
        metadata: { name: "data" },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName, resources: { requests: { storage: "8Gi" } } },
      },
    ],
  },
});

/** Static NFS PersistentVolumes (no provisioner, as on the real cluster); never mounted. */
const nfsVolume = (name: string) => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name },
  spec: {
    capacity: { storage: "8Gi" },
    accessModes: ["ReadWriteOnce"],
    storageClassName: SEED_STORAGE_CLASS,
    persistentVolumeReclaimPolicy: "Retain",
    nfs: { server: "127.0.0.1", path: `/exports/${name}` },
  },
});

/**
 * The lab CSI driver's pieces for Redis: the CSIDriver (attach required: the attach/detach
 * controller creates VolumeAttachments), its class, and a static PV pre-bound to Redis' claim (no
 * provisioner runs; the PV controller binds the claim to it).
 */
const csiRedisVolume = () => [
  {
    apiVersion: "storage.k8s.io/v1",
    kind: "CSIDriver",
    metadata: { name: LAB_CSI_DRIVER },
    spec: { attachRequired: true, podInfoOnMount: false, volumeLifecycleModes: ["Persistent"] },
  },
  {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: SEED_CSI_STORAGE_CLASS },
    provisioner: LAB_CSI_DRIVER,
    reclaimPolicy: "Retain",
    volumeBindingMode: "Immediate",
  },
  {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: SEED_REDIS_CSI_PV },
    spec: {
      capacity: { storage: "8Gi" },
      accessModes: ["ReadWriteOnce"],
      storageClassName: SEED_CSI_STORAGE_CLASS,
      persistentVolumeReclaimPolicy: "Retain",
      csi: { driver: LAB_CSI_DRIVER, volumeHandle: "harbor-redis-data", fsType: "ext4" },
      claimRef: { namespace: SEED_REDIS.namespace, name: SEED_REDIS_CLAIM },
    },
  },
];

const KUBEFLOW_DEPLOYMENTS: Array<[string, number, string]> = [
  ["ml-pipeline", 1, "gcr.io/ml-pipeline/api-server:1.7.0"],
  ["ml-pipeline-ui", 2, "gcr.io/ml-pipeline/frontend:1.7.0"],
  ["ml-pipeline-persistenceagent", 1, "gcr.io/ml-pipeline/persistenceagent:1.7.0"],
  ["ml-pipeline-scheduledworkflow", 1, "gcr.io/ml-pipeline/scheduledworkflow:1.7.0"],
  ["ml-pipeline-visualizationserver", 1, "gcr.io/ml-pipeline/visualization-server:1.7.0"],
  ["metadata-grpc-deployment", 2, "gcr.io/tfx-oss-public/ml_metadata_store_server:1.0.0"],
  ["metadata-envoy-deployment", 1, "gcr.io/ml-pipeline/metadata-envoy:1.7.0"],
  ["katib-controller", 1, "docker.io/kubeflowkatib/katib-controller:v0.11.1"],
  ["katib-ui", 2, "docker.io/kubeflowkatib/katib-ui:v0.11.1"],
  ["centraldashboard", 2, "gcr.io/kubeflow-images-public/centraldashboard:v1.3.0"],
  ["jupyter-web-app-deployment", 1, "public.ecr.aws/j1r0q0g6/notebooks/jupyter-web-app:v1.3.0"],
  ["notebook-controller-deployment", 1, "public.ecr.aws/j1r0q0g6/notebooks/notebook-controller:v1.3.0"],
  ["profiles-deployment", 2, "gcr.io/kubeflow-images-public/profile-controller:v1.3.0"],
];

export const SEED_PDB = { namespace: "kubeflow", name: "ml-pipeline", blocks: "ml-pipeline" } as const;

/** Cluster-scoped prerequisites first, then namespaces, then workloads: creation order matters.
 *  `policyVersion`: the policy group version the server serves PodDisruptionBudgets in;
 *  `redisVolume`: NFS as in the incident, or attachable (kube-versions.ts, seedRedisVolume). */
export function seedObjects(opts: { policyVersion: "v1" | "v1beta1"; redisVolume: TSeedRedisVolume }): KubernetesObject[] {
  const { policyVersion } = opts;
  const csi = opts.redisVolume === "csi";
  const objects: Array<Record<string, unknown>> = [
    {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: SEED_STORAGE_CLASS },
      provisioner: "kubernetes.io/no-provisioner",
      reclaimPolicy: "Retain",
      volumeBindingMode: "Immediate",
    },
    ...Array.from({ length: 5 }, (_, i) => nfsVolume(`nfs-acp-pv-${String(i + 1).padStart(2, "0")}`)),
    ...(csi ? csiRedisVolume() : []),
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "kubeflow" } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "harbor-registry" } },
    ...KUBEFLOW_DEPLOYMENTS.map(([name, replicas, image]) => deployment("kubeflow", name, replicas, image)),
    statefulSet("kubeflow", "katib-mysql", "docker.io/mysql:8.0.26", "/var/lib/mysql"),
    statefulSet("kubeflow", "minio", "gcr.io/ml-pipeline/minio:RELEASE.2019-08-14T20-37-41Z-license-compliance", "/data"),
    statefulSet(
      SEED_REDIS.namespace,
      SEED_REDIS.statefulSet,
      "docker.io/bitnami/redis:6.2.5",
      "/data",
      csi ? SEED_CSI_STORAGE_CLASS : SEED_STORAGE_CLASS,
    ),
    {
      // On every node, masters included: tolerates everything, so it is never evicted.
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "node-exporter", namespace: "kube-system", labels: { app: "node-exporter" } },
      spec: {
        selector: { matchLabels: { app: "node-exporter" } },
        template: {
          metadata: { labels: { app: "node-exporter" } },
          spec: {
            tolerations: [{ operator: "Exists" }],
            containers: [{ name: "node-exporter", image: "quay.io/prometheus/node-exporter:v1.2.2" }],
          },
        },
      },
    },
    {
      // minAvailable 1 of a 1-replica Deployment: disruptionsAllowed stays 0, eviction is refused.
      apiVersion: `policy/${policyVersion}`,
      kind: "PodDisruptionBudget",
      metadata: { name: SEED_PDB.name, namespace: SEED_PDB.namespace },
      spec: { minAvailable: 1, selector: { matchLabels: { app: SEED_PDB.blocks } } },
    },
  ];
  return objects as KubernetesObject[];
}

/** Pods the seed scenario runs once settled, given the node count (DaemonSet: one per node). */
export const seedExpectedPods = (nodeCount: number) => KUBEFLOW_DEPLOYMENTS.reduce((n, [, replicas]) => n + replicas, 0) + 3 + nodeCount;
