"""Write environment.yml (Binder / repo2docker) from the pins in requirements.txt.

Usage: python tools/sync_env.py [--check]
With --check, exit 1 (and say why) when environment.yml is out of date.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "3.11"


def pins(path=ROOT / "requirements.txt"):
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def render():
    body = "\n".join(f"      - {p}" for p in pins())
    return (
        "# Generated from requirements.txt by tools/sync_env.py: do not edit by hand.\n"
        "name: yalu\n"
        "channels:\n"
        "  - conda-forge\n"
        "dependencies:\n"
        f"  - python={PYTHON}\n"
        "  - pip\n"
        "  - pip:\n"
        f"{body}\n"
    )


def main(argv):
    target = ROOT / "environment.yml"
    text = render()
    if "--check" in argv:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print("environment.yml is out of date: run `make environment.yml`")
            return 1
        print("environment.yml agrees with requirements.txt")
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.name} ({len(pins())} pins)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
