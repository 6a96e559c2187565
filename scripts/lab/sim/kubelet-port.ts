// A listener on each live node's InternalIP:10250, like a kubelet's API port, so the dashboard's
// TCP evidence probe is real: a stopped kubelet stops answering. Linux routes all of 127/8 to lo,
// so any 127.x.y.z address can be bound. Above `maxNodes` (benchmarks) no ports are opened.
import { createServer, type Server } from "node:net";

export class KubeletPorts {
  private readonly servers = new Map<string, Server>();

  constructor(
    private readonly enabled: boolean,
    private readonly onError: (what: string, e: unknown) => void,
  ) {}

  open(name: string, ip: string, port = 10250) {
    if (!this.enabled || this.servers.has(name)) return;
    const server = createServer((socket) => socket.destroy());
    server.on("error", (e) => {
      this.servers.delete(name);
      this.onError(`${name}: kubelet port ${ip}:${port}`, e);
    });
    server.listen(port, ip);
    this.servers.set(name, server);
  }

  close(name: string) {
    this.servers.get(name)?.close();
    this.servers.delete(name);
  }

  closeAll() {
    for (const name of [...this.servers.keys()]) this.close(name);
  }
}
