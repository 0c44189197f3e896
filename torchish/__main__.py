"""Command line: `python -m torchish run [--cells] script.py [args...]`.

`run` executes an unmodified torch script with `torch` served by torchish, as `python script.py`
would; `--cells` runs it as notebook cells split at `# %%` lines (a raising cell prints
`ExceptionType: message` and the next cell runs).
"""

import sys

USAGE = """usage: python -m torchish run [--cells] script.py [args...]

  run        run a torch script with `import torch` (and torch.*) served by torchish
  --cells    notebook mode: run the cells split at `# %%` lines in one namespace; a cell that
             raises prints `ExceptionType: message` on stdout and the next cell runs"""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    cells = argv[1:2] == ["--cells"]
    rest = argv[2:] if cells else argv[1:]
    if argv[:1] != ["run"] or not rest:
        print(USAGE, file=sys.stderr)
        return 2
    from torchish._run import run

    return run(rest[0], rest[1:], cells=cells)


if __name__ == "__main__":
    sys.exit(main())
