"""Arabic and English texts, and the language an Accept-Language header asks for.

Every text a caller reads (problem titles and details, tier and segment names, benefits, alert
reasons) is looked up here by key, in the request's language (`request.Request.language`:
Accept-Language, else the caller's profile language, else English).

The texts live as data beside the code that uses them: the kernel's own (problem titles, the generic
problem details of the edge) in `customer_id/messages.toml`, each feature's in
`customer_id/<feature>/messages.toml`, one table per key with one text per language:

    [reward_not_found]
    en = "No reward {rewardId}."
    ar = "لا توجد مكافأة بالمعرف {rewardId}."

This module imports no feature: it finds every `messages.toml` under the package as a resource and
merges them on first use (not at import: a cold start reads no file). A key may be defined once only.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Iterator
    from importlib.resources.abc import Traversable

Language = Literal["ar", "en"]
LANGUAGES: tuple[Language, ...] = ("ar", "en")
DEFAULT_LANGUAGE: Language = "en"

MESSAGES = "messages.toml"

type Catalog = dict[str, dict[Language, str]]


def text(key: str, language: Language, /, **params: object) -> str:
    """The catalogue text for `key` in `language`, with `{name}` placeholders filled in."""
    entry = _catalog()[key]
    template = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return template.format(**params) if params else template


def has_text(key: str) -> bool:
    return key in _catalog()


@functools.cache
def _catalog() -> Catalog:
    """Every `messages.toml` of the package, merged; a key defined in two files is an error."""
    merged: Catalog = {}
    origin: dict[str, str] = {}
    for name, entries in _sources().items():
        for key, entry in entries.items():
            if key in merged:
                raise ValueError(f"i18n key {key!r} is defined in both {origin[key]} and {name}")
            merged[key] = entry
            origin[key] = name
    return merged


def _sources() -> dict[str, Catalog]:
    """Each message file's texts, by its path inside the package (`loyalty/messages.toml`)."""
    # Imported on first use, not at module import: the resource walk and the TOML parser cost more
    # than this whole module, and a handler that answers without a text never needs them.
    import tomllib
    from importlib.resources import files

    sources: dict[str, Catalog] = {}
    for name, resource in _message_files(files("customer_id"), ""):
        document = tomllib.loads(resource.read_text(encoding="utf-8"))
        sources[name] = {key: _entry(name, key, entry) for key, entry in document.items()}
    return sources


def _message_files(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    """The `messages.toml` of `folder` and of every package folder below it, in name order."""
    for child in sorted(folder.iterdir(), key=lambda child: child.name):
        if child.is_file() and child.name == MESSAGES:
            yield prefix + child.name, child
        elif child.is_dir() and (child / "__init__.py").is_file():
            yield from _message_files(child, f"{prefix}{child.name}/")


def _entry(name: str, key: str, entry: object) -> dict[Language, str]:
    if (
        not isinstance(entry, dict)
        or not entry
        or not set(entry) <= set(LANGUAGES)
        or not all(isinstance(value, str) for value in entry.values())
    ):
        raise ValueError(f"{name}: [{key}] must hold one text per language of {LANGUAGES}")
    return entry


def from_accept_language(header: str | None) -> Language | None:
    """The best supported language of an Accept-Language header, or None when it names none.

    Ranges are taken by q-value (default 1, ties in header order); `*` means any, and is ours first.
    """
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, rest = part.strip().partition(";")
        quality = 1.0
        for param in rest.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().split("-")[0].lower()))
    for _, _, primary in sorted(ranked):
        if primary == "*":
            return DEFAULT_LANGUAGE
        if primary in LANGUAGES:
            return primary
    return None
