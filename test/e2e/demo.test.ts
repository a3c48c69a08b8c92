// `npm start` keeps working: the demo starts, its printed curl commands give the promised
// answers (allowed, denied, limited), and Ctrl-C stops everything.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../tools/envoy/locate";
import { envoyBin, send } from "./support";

describe.skipIf(!envoyBin)("the demo (npm start)", () => {
  it("serves allowed, denied and limited requests, then stops on SIGINT", async () => {
    const demo = spawn(process.execPath, ["--import", "tsx", "tools/demo/main.ts"], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    demo.stdout.on("data", (c: Buffer) => { out += c.toString(); });
    try {
      await new Promise<void>((resolve, reject) => {
        demo.stdout.on("data", () => { if (out.includes("Press Ctrl-C")) resolve(); });
        demo.once("exit", (code) => reject(new Error(`demo exited (${code}):\n${out}`)));
      });
      const port = Number(/Envoy http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]);
      const envoy = { port } as Parameters<typeof send>[0];
      const products = { host: "products.example.com" };
      expect((await send(envoy, "/products/42?user_key=demo-user-key", products)).status).toBe(200);
      expect((await send(envoy, "/orders", { host: "orders.example.com", "x-app-id": "demo-app-id", "x-app-key": "demo-app-key" })).status).toBe(200);
      expect((await send(envoy, "/products/42", products)).body).toBe("Authentication parameters missing\n");
      expect((await send(envoy, "/products/42?user_key=nope", products)).status).toBe(403);
      const limited = [];
      for (let i = 0; i < 6; i++) limited.push((await send(envoy, "/?user_key=demo-trial-key", products)).status);
      expect(limited).toEqual([200, 200, 200, 200, 200, 429]);
      expect(out).toContain("curl -i -H 'Host: products.example.com'");
    } finally {
      if (demo.exitCode === null) {
        demo.kill("SIGINT");
        const [code] = await once(demo, "exit");
        expect(code).toBe(0);
      }
    }
  });
});
