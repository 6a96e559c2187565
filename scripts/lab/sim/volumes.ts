// The kubelet's view of a pod's attachable volumes. A kubelet reports the volumes of its pods in
// node.status.volumesInUse from the moment it admits a pod until it unmounts them (the attach/
// detach controller will not detach a volume in use, unless the node is out of service or 6 min
// have passed), and mounts one only once the controller lists it in node.status.volumesAttached.
// Attachable here: a PVC bound to a CSI PersistentVolume whose driver requires attach (its
// CSIDriver says attachRequired, or there is no CSIDriver object, as the kubelet assumes). NFS and
// other in-tree volumes are mounted at once, as before.
import type { KubeApi } from "./api";
import { expectCode } from "./api";

/** The unique name the volume plugins give a CSI volume: "kubernetes.io/csi/<driver>^<volumeHandle>". */
export const csiVolumeName = (driver: string, volumeHandle: string) => `kubernetes.io/csi/${driver}^${volumeHandle}`;

type KClaim = { spec?: { volumeName?: string }; status?: { phase?: string } };
type KVolume = { spec?: { csi?: { driver: string; volumeHandle: string } } };
type KNodeStatus = { status?: { volumesAttached?: Array<{ name: string }> } };

export class PodVolumes {
  /** namespace/claim → the volume's unique name, or null when it needs no attach. A bound claim never changes its volume. */
  private readonly claims = new Map<string, string | null>();
  private readonly attachRequired = new Map<string, boolean>();

  constructor(private readonly api: KubeApi) {}

  /** The unique names of the claims' volumes that need an attach, resolved once per claim. */
  async attachable(namespace: string, claimNames: readonly string[]): Promise<string[]> {
    const names: string[] = [];
    for (const claim of claimNames) {
      const key = `${namespace}/${claim}`;
      if (!this.claims.has(key)) this.claims.set(key, await this.resolve(namespace, claim));
      const name = this.claims.get(key);
      if (name) names.push(name);
    }
    return names;
  }

  /** node.status.volumesAttached, as the attach/detach controller last wrote it. */
  async attachedTo(node: string): Promise<Set<string>> {
    const r = expectCode(`get node ${node}`, await this.api.get(`/api/v1/nodes/${node}`), 200);
    return new Set(((JSON.parse(r.text) as KNodeStatus).status?.volumesAttached ?? []).map((v) => v.name));
  }

  private async resolve(namespace: string, claim: string): Promise<string | null> {
    const pvc = expectCode(
      `get pvc ${namespace}/${claim}`,
      await this.api.get(`/api/v1/namespaces/${namespace}/persistentvolumeclaims/${claim}`),
      200,
    );
    const volumeName = (JSON.parse(pvc.text) as KClaim).spec?.volumeName;
    // The scheduler binds a pod only once its claims are bound: this is a race, retried.
    if (!volumeName) throw new Error(`claim ${namespace}/${claim} is not bound yet`);
    const pv = expectCode(`get pv ${volumeName}`, await this.api.get(`/api/v1/persistentvolumes/${volumeName}`), 200);
    const csi = (JSON.parse(pv.text) as KVolume).spec?.csi;
    if (!csi || !(await this.requiresAttach(csi.driver))) return null;
    return csiVolumeName(csi.driver, csi.volumeHandle);
  }

  private async requiresAttach(driver: string): Promise<boolean> {
    let required = this.attachRequired.get(driver);
    if (required === undefined) {
      const r = expectCode(`get csidriver ${driver}`, await this.api.get(`/apis/storage.k8s.io/v1/csidrivers/${driver}`), 200, 404);
      required = r.code === 404 || (JSON.parse(r.text) as { spec?: { attachRequired?: boolean } }).spec?.attachRequired !== false;
      this.attachRequired.set(driver, required);
    }
    return required;
  }
}
