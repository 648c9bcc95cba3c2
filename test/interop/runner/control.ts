import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ControlAction, RealServerName } from "../shared.js";
import type { RealServer } from "./real-server.js";

const USAGE = "POST /<prosody|ejabberd>/<kill|stop|start> or GET /<prosody|ejabberd>/pid";

/**
 * The suite's way to kill, stop or start a server and to read its PID: the runner owns every server
 * process, so whatever the tests do, the runner knows each PID and stops it at the end. Loopback only.
 */
export async function startControl(servers: ReadonlyMap<RealServerName, RealServer>): Promise<{ url: string; close(): Promise<void> }> {
  let queue = Promise.resolve();
  const http = createServer((request, response) => {
    const [, name, action] = (request.url ?? "").split("/") as [string, string | undefined, string | undefined];
    const server = servers.get(name as RealServerName);
    if (server && request.method === "GET" && action === "pid") return answerPid(server, response);
    if (request.method !== "POST" || !server || !isAction(action)) {
      response.writeHead(404).end(USAGE);
      return;
    }
    // One action at a time: a start must not overlap the kill before it.
    queue = queue.then(async () => {
      try {
        if (action === "kill") await server.kill();
        else if (action === "stop") await server.stop();
        else if (!server.running) await server.start();
        response.writeHead(200).end("ok");
      } catch (error) {
        response.writeHead(500).end(error instanceof Error ? error.message : String(error));
      }
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}

function answerPid(server: RealServer, response: ServerResponse): void {
  const { pid } = server;
  if (pid === undefined) response.writeHead(409).end(`${server.info.name} is not running`);
  else response.writeHead(200).end(String(pid));
}

function isAction(action: string | undefined): action is ControlAction {
  return action === "kill" || action === "stop" || action === "start";
}
