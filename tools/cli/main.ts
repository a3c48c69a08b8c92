// authrep-wasm command line: `check` and `try` (bin/authrep-wasm.js runs this file through tsx).
import { UsageError } from "./args";
import { check, CHECK_HELP } from "./check";
import { TRY_HELP, tryRequest } from "./try";

const HELP = `usage: authrep-wasm <command> [options]

  check CONFIG      does the module accept this configuration? (summary or the field in error)
  try CONFIG …      dry run of one request, with a step-by-step trace

authrep-wasm <command> --help for the command's options.
`;

/** `out` prints the result on stdout, `note` progress on stderr */
type Command = (argv: string[], out: (line: string) => void, note: (line: string) => void) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  check: { run: check, help: CHECK_HELP },
  try: { run: tryRequest, help: TRY_HELP },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`authrep-wasm: unknown command ${name}\n${HELP}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.help);
    return 0;
  }
  try {
    return await command.run(rest, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`authrep-wasm ${name}: ${e.message}\n(authrep-wasm ${name} --help for usage)\n`);
    return 2;
  }
}

// a reader that stops early (`| head`) is not an error of ours
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await main(process.argv.slice(2));
