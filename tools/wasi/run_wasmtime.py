"""Runs the WASI harness under the PyPI `wasmtime` package, like `wasmtime run`:
stdin, stdout and stderr are this process's, and the exit code is the module's.

    .venv/bin/python tools/wasi/run_wasmtime.py [build/authrep-harness.wasm] < request.json
"""
import sys

from wasmtime import Engine, ExitTrap, Linker, Module, Store, WasiConfig


def run(path: str) -> int:
    engine = Engine()
    wasi = WasiConfig()
    wasi.argv = [path]
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    store = Store(engine)
    store.set_wasi(wasi)
    linker = Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, Module.from_file(engine, path))
    try:
        instance.exports(store)["_start"](store)
    except ExitTrap as e:
        return e.code
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else "build/authrep-harness.wasm"))
