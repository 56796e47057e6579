"""Every git command improve runs, run one way: so that it never runs a program.

A repository is text from many hands, and its `.git/config`, `.gitattributes` and hooks
can name programs that git runs for the commands improve uses: `git log` checks
signatures with `gpg.program` (log.showSignature), `git status`, `add` and `commit` ask
a file-system monitor (core.fsmonitor) and pass files through clean filters
(`filter.NAME.clean`/`process`), `commit` runs hooks (core.hooksPath, .git/hooks) and
signs with `gpg.program` (commit.gpgSign), and reading a blob missing from a partial clone
fetches it, over ssh (core.sshCommand) or `ext::` (any command). Every git command here
is therefore run by `run`, with configuration given on its command line, which wins over
every configuration file:

- no hook runs (core.hooksPath is the null device, where there is none), but for a
  commit given `hooks`: the folder of hooks the repository tracks, named by its tracked
  plans/improve.toml and checked by `gitops.tracked_hooks` (never one .git/config names);
- no file-system monitor, no signing and no signature checking;
- no transport at all (protocol.allow=never, for each protocol too): nothing is fetched;
- no automatic gc or maintenance after a commit;
- with `filters=True` (commands that read the work tree), every filter the configuration
  defines has its clean, smudge and process commands emptied (found by `git config`,
  which runs nothing); git's own line-ending and encoding conversions still apply;
- no pager; and the environment is the caller's without the GIT_* variables, but for
  those saying where git's configuration and its own programs are, and who commits when
  (`KEEP`: so GIT_SSH_COMMAND, GIT_EXTERNAL_DIFF, GIT_PAGER, GIT_DIR,
  GIT_CONFIG_PARAMETERS … are not passed on).

The user's own configuration still counts for everything else (user.name and user.email
above all): only what runs a program is switched off.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

# what every git command is given, whatever the configuration files say
OFF: tuple[tuple[str, str], ...] = (
    ("core.hooksPath", os.devnull),  # hooks are looked for there, and there are none
    ("core.fsmonitor", ""),  # empty is false (and no hook path, in older gits)
    ("log.showSignature", "false"),
    ("commit.gpgSign", "false"),
    ("tag.gpgSign", "false"),
    ("protocol.allow", "never"),
    *((f"protocol.{name}.allow", "never")
      for name in ("ext", "file", "git", "ssh", "http", "https", "ftp", "ftps")),
    ("credential.helper", ""),  # empty clears the list
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
)  # fmt: skip

# the GIT_* variables passed on: where the configuration is, who commits, and when
KEEP = frozenset({
    "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_EXEC_PATH",
    "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE",
})  # fmt: skip
_FILTER_KEYS = ("clean", "smudge", "process")


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a git command is run in (see the module's note)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in KEEP}
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "1"})
    env.update(extra or {})
    return env


def filters_off(cwd: Path, timeout: float) -> list[tuple[str, str]]:
    """The settings that empty every filter the configuration at `cwd` defines (a
    driver with no command is no filter, and one not required cannot fail)."""
    try:
        done = subprocess.run(
            _command(["config", "-z", "--name-only", "--get-regexp", r"^filter\..+\."], OFF),
            cwd=cwd, capture_output=True, timeout=timeout, env=environment(),
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return []  # the command that follows fails the same way, and says so
    names = set()
    for key in done.stdout.decode("utf-8", "surrogateescape").split("\0"):
        section, dot, rest = key.partition(".")
        name, dot2, _ = rest.rpartition(".")
        if section.lower() == "filter" and dot and dot2 and name:
            names.add(name)
    off = [(f"filter.{name}.{key}", "") for name in sorted(names) for key in _FILTER_KEYS]
    return off + [(f"filter.{name}.required", "false") for name in sorted(names)]


def _command(args: list[str], settings: Iterable[tuple[str, str]]) -> list[str]:
    cmd = ["git", "--no-pager"]
    for key, value in settings:
        cmd += ["-c", f"{key}={value}"]
    return [*cmd, *args]


def run(
    args: list[str],
    cwd: Path,
    *,
    timeout: float,
    data: bytes | None = None,
    env: dict[str, str] | None = None,
    filters: bool = False,
    hooks: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """`git ARGS` in `cwd`, run so that it runs no other program (see the module's
    note), its output captured as bytes; `hooks`: the one folder hooks are run from (for
    a commit: gitops.tracked_hooks, never from the configuration). OSError or
    SubprocessError when git cannot be run (not installed, timed out)."""
    settings: list[tuple[str, str]] = list(OFF)
    if hooks is not None:
        settings = [("core.hooksPath", str(hooks)) if k == "core.hooksPath" else (k, v)
                    for k, v in settings]  # fmt: skip
    extra = dict(env or {})
    if filters:
        plain: list[tuple[str, str]] = []
        odd: list[tuple[str, str]] = []
        for key, value in filters_off(cwd, timeout):
            # a filter's name may hold "=", which `-c` cannot say: those are given in
            # the environment, which git 2.31 and later read
            (odd if "=" in key else plain).append((key, value))
        settings += plain
        if odd:
            extra["GIT_CONFIG_COUNT"] = str(len(odd))
            for i, (key, value) in enumerate(odd):
                extra[f"GIT_CONFIG_KEY_{i}"], extra[f"GIT_CONFIG_VALUE_{i}"] = key, value
    return subprocess.run(
        _command(args, settings), cwd=cwd, input=data, capture_output=True, timeout=timeout,
        env=environment(extra),
    )  # fmt: skip
