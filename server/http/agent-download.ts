import fs from "node:fs";
import type http from "node:http";
import path from "node:path";

export const AGENT_DOWNLOAD_PATH = "/downloads/portolan-agent.cjs";

/** Serves the single-file agent bundle so a host without a checkout can fetch and run it. */
export function serveAgentBundle(res: http.ServerResponse): void {
  const file = path.resolve("dist", "portolan-agent.cjs");
  fs.stat(file, (err, stat) => {
    if (err) {
      res.writeHead(404, { "content-type": "text/plain" }).end("agent bundle not built: run npm run build:agent\n");
      return;
    }
    res.writeHead(200, { "content-type": "application/javascript", "content-length": stat.size });
    fs.createReadStream(file).pipe(res);
  });
}
