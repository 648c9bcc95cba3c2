// A static HTTP server on loopback for a bundler's output folder, so a real browser can load it.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

export interface FolderServer {
  /** e.g. `http://127.0.0.1:40123` (loopback is a secure context: service workers register). */
  origin: string;
  close(): Promise<void>;
}

/** Serves `dir`; `/` is `dir/index.html`, or `page` when given. */
export async function serveFolder(dir: string, page?: string): Promise<FolderServer> {
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? "/", "http://localhost").pathname);
    const reply = (status: number, body: string | Buffer, type = "text/plain"): void => {
      response.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      response.end(body);
    };
    if (path === "/" && page !== undefined) return reply(200, page, TYPES[".html"]);
    if (path.includes("..")) return reply(403, "forbidden");
    readFile(join(dir, path === "/" ? "index.html" : path)).then(
      (body) => reply(200, body, TYPES[extname(path === "/" ? "index.html" : path)] ?? "application/octet-stream"),
      () => reply(404, "not found"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
