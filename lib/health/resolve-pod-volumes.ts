import type { V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1VolumeAttachment } from "@kubernetes/client-node";
import { findByNsName } from "./index-by-name";

const SINGLE_NODE_MODES = new Set(["ReadWriteOnce", "ReadWriteOncePod"]);

export type TVolumeAttachmentRef = {
  name: string;
  attacher: string;
  attached: boolean;
};

export type TPodVolume = {
  /** The volume's name in the pod spec. */
  volume: string;
  claimName: string;
  /** False when the PVC is not in the cache: the fields below are then unknown. */
  claimFound: boolean;
  /** The bound PersistentVolume. */
  volumeName: string | null;
  storageClassName: string | null;
  accessModes: string[];
  /** ReadWriteOnce or ReadWriteOncePod: usable from one node at a time. */
  rwo: boolean;
  /** A local or hostPath PV: the data lives on that one node. */
  local: boolean;
  /** VolumeAttachments that pin this PV to the pod's node. */
  attachments: TVolumeAttachmentRef[];
};

/** The pod's persistent volumes, with what matters when its node is dead. */
export function resolvePodVolumes(options: {
  pod: V1Pod;
  nodeName: string;
  pvcs: readonly V1PersistentVolumeClaim[];
  pvs: readonly V1PersistentVolume[];
  volumeAttachments: readonly V1VolumeAttachment[];
}): TPodVolume[] {
  const { pod, nodeName } = options;
  const namespace = pod.metadata?.namespace;
  // Generic ephemeral volumes are backed by the PVC "<pod>-<volume>".
  const claims = (pod.spec?.volumes ?? []).flatMap((v) => {
    const claimName = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pod.metadata?.name}-${v.name}` : null);
    return claimName ? [{ volume: v.name, claimName }] : [];
  });

  return claims.map(({ volume, claimName }) => {
    const pvc = findByNsName(options.pvcs, namespace, claimName);
    const volumeName = pvc?.spec?.volumeName || null;
    const pv = volumeName ? findByNsName(options.pvs, undefined, volumeName) : undefined;
    // The bound status is the truth; the request and the PV are fallbacks.
    const accessModes = pvc?.status?.accessModes ?? pvc?.spec?.accessModes ?? pv?.spec?.accessModes ?? [];
    const attachments = volumeName
      ? options.volumeAttachments
          .filter((va) => va.spec.nodeName === nodeName && va.spec.source.persistentVolumeName === volumeName)
          .map((va) => ({
            name: va.metadata?.name ?? "",
            attacher: va.spec.attacher,
            attached: va.status?.attached === true,
          }))
      : [];

    return {
      volume,
      claimName,
      claimFound: pvc !== undefined,
      volumeName,
      storageClassName: pvc?.spec?.storageClassName ?? pv?.spec?.storageClassName ?? null,
      accessModes: [...accessModes],
      rwo: accessModes.some((m) => SINGLE_NODE_MODES.has(m)),
      local: pv?.spec?.local !== undefined || pv?.spec?.hostPath !== undefined,
      attachments,
    };
  });
}
