"""Normalising names and towns for search: lower case, accents removed, punctuation to spaces."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9' ]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """'  Zoë  O'Brien-Smith ' -> "zoe o'brien smith"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    stripped = stripped.replace("\u2019", "'")  # a typographic apostrophe
    return _SPACES.sub(" ", _NON_WORD.sub(" ", stripped)).strip()


def name_words(text: str) -> list[str]:
    return [w for w in normalise(text).replace("'", "").split(" ") if w]
