"""Floor for memory: every plan file in a folder parsed with tomllib, and all kept."""

import sys
import tomllib
from pathlib import Path

kept = [
    tomllib.loads(p.read_bytes().decode("utf-8")) for p in sorted(Path(sys.argv[1]).glob("*.toml"))
]
print(len(kept))
