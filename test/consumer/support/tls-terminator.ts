// TLS in front of a plain listener, as nginx terminates wss:// in front of an XMPP server's
// WebSocket port. The certificate (support/tls/, self-signed for localhost and 127.0.0.1, made
// for these tests with `openssl req -x509 -newkey ec …`, valid until 2126) protects nothing.
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { createServer } from "node:tls";
import { repoRoot } from "./project.js";

const folder = join(repoRoot, "test/consumer/support/tls");
/** The certificate a client must trust to connect (the phone's trusted development CA). */
export const TEST_CERTIFICATE = readFileSync(join(folder, "localhost.crt"), "utf8");

export interface TlsTerminator {
  port: number;
  close(): Promise<void>;
}

/** Accepts TLS on a free loopback port and forwards the plaintext to 127.0.0.1:`targetPort`. */
export async function terminateTls(targetPort: number): Promise<TlsTerminator> {
  const open = new Set<{ destroy(): void }>();
  const server = createServer({ key: readFileSync(join(folder, "localhost.key")), cert: TEST_CERTIFICATE }, (socket) => {
    const upstream = connect(targetPort, "127.0.0.1");
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
    socket.on("close", () => upstream.destroy());
    upstream.on("close", () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
