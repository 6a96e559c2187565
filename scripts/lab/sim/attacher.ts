// The lab's CSI driver as the control plane sees it: its external-attacher. The real
// kube-controller-manager's attach/detach controller creates a VolumeAttachment when a pod using
// one of the driver's volumes is scheduled to a node, and deletes it to detach; the external-
// attacher (a sidecar of the driver's controller Deployment, so it keeps working when a node dies)
// answers: it adds its finalizer, calls ControllerPublishVolume and sets status.attached; when the
// VolumeAttachment is marked for deletion it calls ControllerUnpublishVolume and removes its
// finalizer, which lets the object go. There is no storage behind it: publishing always succeeds.
// (The real sidecar also puts a finalizer on the PersistentVolume; nothing here deletes PVs.)
import type { KubeApi } from "./api";
import { expectCode, MERGE_PATCH } from "./api";
import type { KObject } from "./list-watch";
import { ListWatcher } from "./list-watch";
import { KeyedWorkQueue } from "./work-queue";

/** The CSIDriver the modern seed's attachable volume uses (attachRequired: true). */
export const LAB_CSI_DRIVER = "csi.lab.node-rescue.dev";
/** external-attacher's finalizer: "external-attacher/" + the driver name with "/" made "-". */
export const ATTACHER_FINALIZER = `external-attacher/${LAB_CSI_DRIVER.replaceAll("/", "-")}`;
const VA_PATH = "/apis/storage.k8s.io/v1/volumeattachments";
const RETRY_MS = 1_000;

export interface KVolumeAttachment extends KObject {
  metadata: KObject["metadata"] & { deletionTimestamp?: string; finalizers?: string[] };
  spec: { attacher: string; nodeName: string; source: { persistentVolumeName?: string } };
  status?: { attached?: boolean };
}

/** What the attacher does next with this VolumeAttachment (PURE). */
export function attacherStep(va: KVolumeAttachment): "attach" | "detach" | null {
  if (va.spec.attacher !== LAB_CSI_DRIVER) return null; // another driver's
  if (va.metadata.deletionTimestamp) return va.metadata.finalizers?.includes(ATTACHER_FINALIZER) ? "detach" : null;
  return va.status?.attached === true ? null : "attach";
}

export class SimulatedAttacher {
  private readonly cache = new Map<string, KVolumeAttachment>();
  private readonly queue: KeyedWorkQueue;
  private readonly watcher: ListWatcher<KVolumeAttachment>;
  private stopped = false;

  constructor(private readonly ctx: { api: KubeApi; log: (line: string) => void; onError: (what: string, e: unknown) => void }) {
    this.queue = new KeyedWorkQueue(
      4,
      (name) => this.sync(name),
      (name, e) => {
        ctx.onError(`attacher ${name}`, e);
        if (!this.stopped) setTimeout(() => this.queue.add(name), RETRY_MS);
      },
    );
    let listed = new Set<string>();
    this.watcher = new ListWatcher<KVolumeAttachment>(
      ctx.api,
      VA_PATH,
      "",
      {
        listStart: () => {
          listed = new Set();
        },
        listed: (va) => {
          listed.add(va.metadata.name);
          this.upsert(va);
        },
        listDone: () => {
          for (const name of [...this.cache.keys()]) if (!listed.has(name)) this.cache.delete(name);
        },
        event: (type, va) => (type === "DELETED" ? this.cache.delete(va.metadata.name) : this.upsert(va)),
      },
      ctx.onError,
    );
  }

  start() {
    this.watcher.start();
  }

  stop() {
    this.stopped = true;
    this.watcher.stop();
    this.queue.stop();
  }

  private upsert(va: KVolumeAttachment) {
    if (va.spec.attacher !== LAB_CSI_DRIVER) return;
    this.cache.set(va.metadata.name, va);
    if (attacherStep(va)) this.queue.add(va.metadata.name);
  }

  private async sync(name: string) {
    const va = this.cache.get(name);
    if (!va || this.stopped) return;
    const step = attacherStep(va);
    if (!step) return;
    const { api } = this.ctx;
    const path = `${VA_PATH}/${name}`;
    const finalizers = va.metadata.finalizers ?? [];
    // At the resourceVersion we saw: a conflict (409) retries from the newer object the watch brings.
    const setFinalizers = (next: string[]) =>
      api.request(
        "PATCH",
        path,
        { metadata: { finalizers: next, resourceVersion: va.metadata.resourceVersion } },
        { contentType: MERGE_PATCH },
      );
    const where = `${va.spec.source.persistentVolumeName ?? "inline volume"} on ${va.spec.nodeName}`;
    if (step === "detach") {
      // ControllerUnpublishVolume would run here; then the finalizer goes, and the object with it.
      expectCode(`detach ${name}`, await setFinalizers(finalizers.filter((f) => f !== ATTACHER_FINALIZER)), 200, 404);
      this.ctx.log(`attacher: ${name} detached (${where})`);
      return;
    }
    if (!finalizers.includes(ATTACHER_FINALIZER)) {
      expectCode(`finalizer on ${name}`, await setFinalizers([...finalizers, ATTACHER_FINALIZER]), 200);
    }
    // ControllerPublishVolume would run here.
    const status = { status: { attached: true, attachmentMetadata: { devicePath: "/dev/lab-sim" } } };
    const r = await api.request("PATCH", `${path}/status`, status, { contentType: MERGE_PATCH });
    if (r.code === 404) return; // deleted meanwhile
    expectCode(`attach ${name}`, r, 200);
    this.ctx.log(`attacher: ${name} attached (${where})`);
  }
}
