// Test upstream app: answers every request with 200 and a JSON echo of what Envoy forwarded.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface Echo {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface Upstream {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function startUpstream(listenPort = 0): Promise<Upstream> {
  // Envoy passes requests of up to its max_request_headers_kb (8 MiB at most), node's default is 16 KiB
  const server = createServer({ maxHeaderSize: 8 * 1024 * 1024 }, (req, res) => {
    const echo: Echo = { method: req.method!, path: req.url!, headers: req.headers };
    // drain any request body before answering so keep-alive connections stay usable
    req.resume().on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(echo));
    });
  });
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
