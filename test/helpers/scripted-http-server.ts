import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from "node:net";

/** One request as the scripted server read it. */
export interface ReceivedRequest {
  head: string;
  body: Buffer;
  /** 1 for the first request on its connection. */
  onConnection: number;
  /** 1 for the first request the server read. */
  overall: number;
}

/**
 * A loopback TCP server that reads each HTTP/1.1 request (head, then a Content-Length body) and
 * lets the test write whatever bytes it likes back — the answers node:http would never send.
 */
export async function scriptedHttpServer(answer: (socket: Socket, request: ReceivedRequest) => void, host = "127.0.0.1") {
  const sockets: Socket[] = [];
  const requests: ReceivedRequest[] = [];
  const server: Server = createNetServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
    let buffered = Buffer.alloc(0);
    let onConnection = 0;
    socket.on("data", (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf("\r\n\r\n");
        if (end === -1) return;
        const head = buffered.toString("latin1", 0, end);
        const length = Number(/\r\ncontent-length: *([0-9]+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const request = { head, body: buffered.subarray(end + 4, end + 4 + length), onConnection: ++onConnection, overall: requests.length + 1 };
        buffered = buffered.subarray(end + 4 + length);
        requests.push(request);
        answer(socket, request);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    requests,
    connections: () => sockets.length,
    /** The server's side of each connection, in the order they came. */
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const CREATED = "HTTP/1.1 201 Created\r\nLocation: /message/1\r\nContent-Length: 0\r\n\r\n";
