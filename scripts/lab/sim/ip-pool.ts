// Pod IPs on loopback only (127.2.0.1 upward), so nothing can ever dial a real host. 127.2.x.y
// holds 64,516 addresses; bigger labs spill over into 127.3.x.y and beyond, still inside 127/8.

const FIRST_OCTET2 = 2;
const LAST_OCTET2 = 254;
// x.y with y in 1..254: skip .0 and .255, which look like network/broadcast addresses.
const PER_OCTET2 = 256 * 254;
const CAPACITY = (LAST_OCTET2 - FIRST_OCTET2 + 1) * PER_OCTET2;

export const ipAt = (i: number) => {
  const b = FIRST_OCTET2 + Math.floor(i / PER_OCTET2);
  const r = i % PER_OCTET2;
  return `127.${b}.${Math.floor(r / 254)}.${(r % 254) + 1}`;
};

export class PodIpPool {
  private readonly used = new Set<string>();
  private next = 0;

  get size() {
    return this.used.size;
  }

  /** Marks an address as taken (a pod that already has it, e.g. from an earlier simulator run). */
  reserve(ip: string) {
    this.used.add(ip);
  }

  release(ip: string) {
    this.used.delete(ip);
  }

  /** Next free address; a rolling cursor so a just-released address is not handed out again at once. */
  allocate(): string {
    if (this.used.size >= CAPACITY) throw new Error("pod IP pool exhausted");
    for (;;) {
      const ip = ipAt(this.next);
      this.next = (this.next + 1) % CAPACITY;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
  }
}
