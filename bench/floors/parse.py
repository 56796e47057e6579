"""Floor: read and parse every plan file in a folder with tomllib, nothing else."""

import sys
import tomllib
from pathlib import Path

for path in sorted(Path(sys.argv[1]).glob("*.toml")):
    tomllib.loads(path.read_bytes().decode("utf-8"))
