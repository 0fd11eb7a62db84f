"""The lock files that `make lock` writes with `uv pip compile`: pins, markers, hashes and who asked."""
import re
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
WORKER_LOCK = ROOT / "deploy" / "requirements.lock"
REFRESH = "run `make lock` and commit requirements.lock and deploy/requirements.lock"

_PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;\\]+)\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?$")


@dataclass(frozen=True)
class Pin:
    name: str  # canonical (PEP 503)
    version: str
    marker: str | None
    hashes: tuple[str, ...]
    via: tuple[str, ...]

    def applies(self, environment: dict | None = None) -> bool:
        """Whether this pin is installed on this interpreter (or ``environment``'s markers)."""
        return self.marker is None or Marker(self.marker).evaluate(environment)


def read(path: Path = LOCK) -> list[Pin]:
    """Every pin of a uv lock file, in file order."""
    pins, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        match = _PIN.match(line)
        if match:
            current = {"name": canonicalize_name(match["name"]), "version": match["version"],
                       "marker": match["marker"], "hashes": [], "via": []}
            pins.append(current)
        elif current and stripped.startswith("--hash="):
            current["hashes"].append(stripped.removeprefix("--hash=").rstrip(" \\"))
        elif current and stripped.startswith("#"):
            words = stripped.lstrip("#").strip().removeprefix("via").strip()
            if words:
                current["via"].append(canonicalize_name(words.split()[0]))
    return [Pin(p["name"], p["version"], p["marker"], tuple(p["hashes"]), tuple(p["via"])) for p in pins]


def applicable(path: Path = LOCK, environment: dict | None = None) -> dict[str, str]:
    """{name: version} of the pins that apply to this interpreter (or ``environment``)."""
    return {pin.name: pin.version for pin in read(path) if pin.applies(environment)}
