// The standalone simulator: `npx tsx tools/simulator/cli.ts --port 0 --seed tools/simulator/demo-seed.json`.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
let child: ChildProcess | undefined;

afterEach(() => {
  if (child?.exitCode === null) child.kill("SIGKILL");
});

async function startCli(): Promise<string> {
  child = spawn(process.execPath, [resolve(root, "node_modules/tsx/dist/cli.mjs"), "tools/simulator/cli.ts",
    "--port", "0", "--seed", "tools/simulator/demo-seed.json", "--now", "2024-05-15T10:31:00Z"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const [firstLine] = await once(createInterface({ input: child.stdout! }), "line");
  return firstLine as string;
}

const authrep = async (url: string, query: string) =>
  (await fetch(`${url}/transactions/authrep.xml?${query}`, { headers: { "3scale-options": "rejection_reason_header=1" } }));

describe("cli with the demo seed", () => {
  it("prints its URL, serves the demo services and stops on SIGTERM", async () => {
    const url = await startCli();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const userKey = "service_id=2555417900001&service_token=demo-service-token-1";
    expect((await authrep(url, `${userKey}&user_key=demo-user-key&usage[products]=1`)).status).toBe(200);
    const trial: Response[] = [];
    for (let i = 0; i < 6; i++) trial.push(await authrep(url, `${userKey}&user_key=demo-trial-key&usage[hits]=1`));
    expect(trial.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 409]);
    expect(trial[5]!.headers.get("3scale-rejection-reason")).toBe("limits_exceeded");

    const appId = "service_id=2555417900002&service_token=demo-service-token-2&app_id=demo-app-id";
    expect((await authrep(url, `${appId}&app_key=demo-app-key&usage[list_orders]=1`)).status).toBe(200);
    expect((await authrep(url, `${appId}&app_key=wrong`)).headers.get("3scale-rejection-reason")).toBe("application_key_invalid");

    const usage = await fetch(`${url}/__sim/usage?service_id=2555417900001&app=demo-user-key&metric=hits`);
    expect(await usage.json()).toEqual({ value: 1 });
    const config = await fetch(`${url}/admin/api/services/2555417900001/proxy/configs/production/latest.json?access_token=demo-access-token`);
    expect((await config.json()).proxy_config.content.proxy.proxy_rules).toHaveLength(3);

    child!.kill("SIGTERM");
    const [code] = await once(child!, "exit");
    expect(code).toBe(0);
  });
});
