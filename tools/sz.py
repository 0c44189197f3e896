"""Lines per module of the torchish package, largest first (a soft budget: split before ~600)."""

import pathlib

BUDGET = 600


def main():
    root = pathlib.Path(__file__).resolve().parent.parent / "torchish"
    rows = sorted(((len(p.read_text().splitlines()), p.relative_to(root.parent))
                   for p in root.rglob("*.py")), reverse=True)
    for n, p in rows:
        print(f"{n:6d} {p}{'  (over budget)' if n > BUDGET else ''}")
    print(f"{sum(n for n, _ in rows):6d} total")


if __name__ == "__main__":
    main()
