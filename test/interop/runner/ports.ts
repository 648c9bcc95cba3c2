import { connect, createServer } from "node:net";

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Polls until every port accepts connections; fails after `timeout` ms or as soon as `gone()` says the process died. */
export async function waitForPorts(ports: number[], timeout: number, gone: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeout;
  for (const port of ports) {
    while (!(await accepts(port))) {
      const reason = gone();
      if (reason) throw new Error(`the server exited before listening on ${port}: ${reason}`);
      if (Date.now() > deadline) throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeout} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
