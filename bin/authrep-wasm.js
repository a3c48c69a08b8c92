#!/usr/bin/env node
// Launcher for `npx authrep-wasm`: runs the TypeScript CLI (tools/cli/main.ts) through tsx.
import { tsImport } from "tsx/esm/api";

await tsImport("../tools/cli/main.ts", import.meta.url);
