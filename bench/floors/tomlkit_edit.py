"""Floor for an edit: a bare tomlkit round trip of one plan file (parse, set one action's
percent, dump, write atomically), with none of improve's checks, lock or history."""

import os
import sys
import tempfile

import tomlkit

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    doc = tomlkit.parse(f.read())
doc["recommendation"][2]["action"][1]["percent"] = 60
fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".")
with os.fdopen(fd, "w", encoding="utf-8") as out:
    out.write(tomlkit.dumps(doc))
os.replace(tmp, path)
