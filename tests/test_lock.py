"""setup.py, the lock files and the installed .venv agree; every import of the code is declared."""
import ast
import contextlib
import functools
import importlib.metadata as metadata
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pipeline import lockfile
from tests.conftest import ROOT

TOOLS = {"pip"}  # pinned by `make lock` beside setup.py's requirements


@functools.cache
def setup_arguments() -> dict:
    """The keyword arguments setup.py passes to setuptools.setup(), however it computes them."""
    captured = {}
    with mock.patch("setuptools.setup", lambda **arguments: captured.update(arguments)), contextlib.chdir(ROOT):
        runpy.run_path(str(ROOT / "setup.py"))
    return captured


def expand(requirements: list[str]) -> list[Requirement]:
    """Requirements, with ``newsbeam[extra]`` (an extra that includes another) replaced by that extra's list."""
    found = []
    for requirement in map(Requirement, requirements):
        if canonicalize_name(requirement.name) == "newsbeam":
            for extra in sorted(requirement.extras):
                found += expand(setup_arguments()["extras_require"][extra])
        else:
            found.append(requirement)
    return found


def runtime() -> list[Requirement]:
    return expand(setup_arguments()["install_requires"])


def with_dask() -> list[Requirement]:
    """What `pip install 'newsbeam[dask]'` brings: pipeline/dask.py needs it, and says so when missing."""
    return runtime() + expand(setup_arguments()["extras_require"]["dask"])


def direct() -> list[Requirement]:
    """setup.py's runtime requirements and those of every extra."""
    return runtime() + [r for extra in setup_arguments()["extras_require"].values() for r in expand(extra)]


def only_for_tests() -> set[str]:
    return {canonicalize_name(r.name) for r in direct()} - {canonicalize_name(r.name) for r in runtime()}


def test_every_setup_py_requirement_is_locked_at_an_allowed_version():
    for path, requirements in ((lockfile.LOCK, direct()), (lockfile.WORKER_LOCK, runtime())):
        pins = lockfile.applicable(path)
        for requirement in requirements:
            name = canonicalize_name(requirement.name)
            assert name in pins, f"setup.py asks for {requirement} but {path.relative_to(ROOT)} has no {name}; {lockfile.REFRESH}"
            assert requirement.specifier.contains(pins[name], prereleases=True), (
                f"setup.py asks for {requirement} but {path.relative_to(ROOT)} pins {name}=={pins[name]}; {lockfile.REFRESH}")


def test_lock_holds_no_direct_requirement_that_setup_py_dropped():
    declared = {canonicalize_name(r.name) for r in direct()}
    stale = sorted(pin.name for pin in lockfile.read() if "newsbeam" in pin.via and pin.name not in declared)
    assert not stale, f"requirements.lock still pins {stale} for newsbeam, which setup.py no longer asks for; {lockfile.REFRESH}"


def test_worker_lock_is_the_runtime_part_at_the_same_versions():
    full = {(pin.name, pin.version, pin.marker) for pin in lockfile.read()}
    workers = {(pin.name, pin.version, pin.marker) for pin in lockfile.read(lockfile.WORKER_LOCK)}
    assert workers <= full, f"deploy/requirements.lock differs from requirements.lock in {sorted(workers - full)}; {lockfile.REFRESH}"
    assert only_for_tests() and not only_for_tests() & {name for name, _, _ in workers}
    assert all(pin.hashes for pin in lockfile.read(lockfile.WORKER_LOCK))


def test_every_pin_has_hashes():
    assert [pin.name for pin in lockfile.read() if not pin.hashes] == []


def test_lock_is_the_closure_of_setup_py():
    """Walk setup.py's requirements through the installed metadata: each one reached must be locked at
    an allowed version, and nothing else may be locked (the .venv is the lock: see the next test)."""
    pins = lockfile.applicable()
    todo = [(requirement, "setup.py") for requirement in direct()]
    seen, reached = set(), set(TOOLS)
    while todo:
        requirement, asker = todo.pop()
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{asker} asks for {requirement} but requirements.lock has no {name}; {lockfile.REFRESH}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{asker} asks for {requirement} but requirements.lock pins {name}=={pins[name]}; {lockfile.REFRESH}")
        if (name, frozenset(requirement.extras)) in seen:
            continue
        seen.add((name, frozenset(requirement.extras)))
        reached.add(name)
        wanted = [""] + sorted(requirement.extras)
        try:
            children = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            pytest.fail(f"{name}=={pins[name]} is locked but not installed; run `make install`")
        for child in map(Requirement, children):
            if child.marker is None or any(child.marker.evaluate({"extra": extra}) for extra in wanted):
                todo.append((child, f"{name}=={pins[name]}"))
    unused = sorted(set(pins) - reached)
    assert not unused, f"requirements.lock pins {unused}, which nothing in setup.py needs; {lockfile.REFRESH}"


@pytest.mark.skipif(Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(), reason="only the .venv that make install built is the lock")
def test_venv_is_exactly_the_lock():
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
                            capture_output=True, text=True, check=True).stdout.split()
    installed = dict(line.split("==", 1) for line in frozen)
    installed = {canonicalize_name(name): version for name, version in installed.items()}
    expected = lockfile.applicable()
    extra = sorted(f"{n}=={v}" for n, v in installed.items() if expected.get(n) != v)
    missing = sorted(f"{n}=={v}" for n, v in expected.items() if installed.get(n) != v)
    assert not extra and not missing, f".venv differs from requirements.lock: has {extra}, lacks {missing}; run `make install`"


EXTRA_MODULES = {"pipeline/dask.py"}  # imported only with --runner DaskRunner (the dask extra)


def third_party_imports(*packages: str) -> set[str]:
    """Top-level modules that the code in ``packages`` imports and that are neither stdlib nor ours;
    a package named as a file path is that module alone."""
    ours = {"pipeline", "transforms", "schemas", "benchmarks", "tests"}
    found = set()
    for package in packages:
        paths = [ROOT / package] if package.endswith(".py") else (ROOT / package).rglob("*.py")
        for path in paths:
            if not package.endswith(".py") and str(path.relative_to(ROOT)) in EXTRA_MODULES:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    found.add(node.module)
    return {name for name in found if name.split(".")[0] not in sys.stdlib_module_names | ours}


@pytest.mark.parametrize("packages, requirements", [(("pipeline", "transforms", "schemas"), runtime),
                                                  (tuple(sorted(EXTRA_MODULES)), with_dask),
                                                  (("tests", "benchmarks"), direct)])
def test_every_imported_package_is_declared(packages, requirements):
    """Plain `pip install .` must bring what the code imports, not rely on another package's extra."""
    declared = {canonicalize_name(r.name) for r in requirements()}
    providers = metadata.packages_distributions()
    undeclared = []
    for module in sorted(third_party_imports(*packages)):
        top = module.split(".")[0]
        dists = {canonicalize_name(d) for d in providers.get(top, [])}
        if top in ("backports", "google"):  # namespace packages: match on the distribution's full name
            dists = {d for d in dists if module.replace(".", "-").startswith(d) or d.startswith(module.replace(".", "-"))}
        if not dists & declared and not dists & declared_through_extras(requirements()):
            undeclared.append(f"{module} ({', '.join(sorted(dists)) or 'not installed'})")
    assert not undeclared, f"imported by {'/'.join(packages)} but not declared in setup.py: {undeclared}"


def declared_through_extras(requirements: list[Requirement]) -> set[str]:
    """Distributions that a declared requirement's extra names explicitly (apache-beam[gcp] brings the GCS client)."""
    names = set()
    for requirement in requirements:
        try:
            children = metadata.requires(requirement.name) or []
        except metadata.PackageNotFoundError:
            continue  # test_lock_is_the_closure_of_setup_py names it
        for child in children:
            child = Requirement(child)
            if child.marker and any(child.marker.evaluate({"extra": extra}) for extra in requirement.extras):
                names.add(canonicalize_name(child.name))
    return names
