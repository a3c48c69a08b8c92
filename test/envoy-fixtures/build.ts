// Compiles the fixture module (fixture.ts, options in asconfig.json beside it) and checks that
// it imports nothing but proxy-wasm functions, as Envoy requires.
import asc from "assemblyscript/asc";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const here = import.meta.dirname;
const outFile = resolve(here, "../../build/envoy-fixtures/fixture.wasm");

export async function buildFixture(): Promise<string> {
  let binary: Uint8Array<ArrayBuffer> | undefined;
  const { error, stderr } = await asc.main(["--config", resolve(here, "asconfig.json"), "--outFile", "fixture.wasm"], {
    writeFile: (_name: string, contents: Uint8Array | string) => void (binary = contents as Uint8Array<ArrayBuffer>),
  });
  if (error || !binary) throw new Error(`asc failed for the Envoy fixture: ${stderr.toString()}`);
  const bad = WebAssembly.Module.imports(new WebAssembly.Module(binary)).filter(
    (i) => i.module !== "env" || !i.name.startsWith("proxy_"),
  );
  if (bad.length) throw new Error(`fixture imports non-proxy functions: ${JSON.stringify(bad)}`);
  // write-then-rename: test files build concurrently and Envoy must never read a partial file
  mkdirSync(resolve(outFile, ".."), { recursive: true });
  const tmp = `${outFile}.${process.pid}`;
  writeFileSync(tmp, binary);
  renameSync(tmp, outFile);
  return outFile;
}
