// Runs the WASI harness N times in this process under node:wasi on the batch read from stdin and
// prints the runs as JSON (harness.test.ts: repeated runs must not crash the process).
import { readFileSync } from "node:fs";
import { runUnderNode } from "../../tools/wasi/run";

const input = readFileSync(0, "utf8");
const runs = [];
for (let i = 0; i < Number(process.argv[2]); i++) runs.push(await runUnderNode(input));
process.stdout.write(JSON.stringify(runs));
