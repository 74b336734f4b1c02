"""Where numba keeps the compiled engine: a writable place, chosen before numba loads.

numba caches compiled functions next to their source, else in the home directory; an
installed package run by a user whose home is read-only has neither, and numba stops with
"cannot cache function". Importing this module (`drawdown.simulate` does it first) sets
`NUMBA_CACHE_DIR`, unless the user did, to the user's cache folder
(`$XDG_CACHE_HOME/drawdown/numba`, by default `~/.cache/drawdown/numba`) or, when that
cannot be written, to a private folder in the temporary directory, which is said once on
standard error. The compiled code is the same wherever it is kept; only its reuse differs.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

ENV = "NUMBA_CACHE_DIR"


def user_cache_dir() -> Path:
    """The user's cache folder for drawdown's compiled engine."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "drawdown" / "numba"


def temp_cache_dir() -> Path:
    """A folder only this user may write, in the temporary directory."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"drawdown-{uid}" / "numba"


def _usable(folder: Path, *, private: bool) -> bool:
    """Can this process create files in `folder` (made if missing)? A private folder must
    also be this user's alone: compiled code read from a folder others can write would run."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if private:
            owner = folder.parent.stat()
            if hasattr(os, "getuid") and owner.st_uid != os.getuid():
                return False
            folder.parent.chmod(stat.S_IRWXU)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe."):
            pass
    except OSError:
        return False
    return True


def configure(*, say: bool = True) -> Path | None:
    """Set `NUMBA_CACHE_DIR` to a writable folder and return it (None: none found, numba
    keeps its own rule). A folder the user set is kept as it is."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    chosen = None
    if _usable(user_cache_dir(), private=False):
        chosen = user_cache_dir()
    elif _usable(temp_cache_dir(), private=True):
        chosen = temp_cache_dir()
        if say:
            print(
                f"drawdown: {user_cache_dir()} cannot be written (read-only home?); the "
                f"compiled engine is cached in {chosen} instead (set {ENV} to choose)",
                file=sys.stderr,
            )
    if chosen is None:
        return None
    os.environ[ENV] = str(chosen)
    numba_config = sys.modules.get("numba.core.config")
    if numba_config is not None:  # numba already loaded: its config read the variable then
        numba_config.CACHE_DIR = str(chosen)  # type: ignore[attr-defined]
    return chosen


CACHE_DIR = configure()
