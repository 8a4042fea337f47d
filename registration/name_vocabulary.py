"""Misspelt-name search without PostgreSQL: the name vocabulary (`NameToken`) held in memory and
searched with pg_trgm's own measure, so the embedded SQLite default finds "Jenifer Ker" for
"Jennifer Kerr" exactly as PostgreSQL does (decision 0740).

pg_trgm's similarity is the Jaccard index of two words' sets of trigrams, each word padded with two
spaces in front and one behind. String-similarity libraries (RapidFuzz and the like) offer edit
distances, not this measure, and would pick other names than PostgreSQL does; the measure is a few
lines, so it is written out here and a test checks it against PostgreSQL's own.
"""

from __future__ import annotations

import heapq
import re
import threading
import time

_WORD = re.compile(r"[a-z0-9]+")
# The vocabulary is reloaded after this many seconds (names are added slowly; the query word itself
# is always a candidate, as on PostgreSQL, so a brand-new name is found exactly at once).
VOCABULARY_TTL = 300.0

_lock = threading.Lock()
_vocabulary: tuple[float, list[str], list[frozenset[str]]] | None = None


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's show_trgm(): every word padded "  word " and cut into trigrams."""
    grams: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """pg_trgm's similarity(): shared trigrams over all distinct trigrams of the two."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def forget() -> None:
    """Drop the vocabulary (tests build their own register)."""
    global _vocabulary
    with _lock:
        _vocabulary = None


def _load() -> tuple[list[str], list[frozenset[str]]]:
    global _vocabulary
    now = time.monotonic()
    with _lock:
        if _vocabulary is None or now - _vocabulary[0] > VOCABULARY_TTL:
            from .models import NameToken

            tokens = sorted(NameToken.objects.values_list("token", flat=True))
            _vocabulary = (now, tokens, [trigrams(t) for t in tokens])
        return _vocabulary[1], _vocabulary[2]


def nearest_names(word: str, *, limit: int, min_similarity: float) -> dict[str, float]:
    """The `limit` vocabulary names nearest to `word` (pg_trgm's `ORDER BY token <-> word LIMIT n`),
    kept when at least `min_similarity` alike or when they begin with the word: the same rule as
    the PostgreSQL query in registration.selectors."""
    tokens, grams = _load()
    query = trigrams(word)
    # Nearest first; among equally near names the alphabetical first (the vocabulary is sorted),
    # where PostgreSQL's index order decides.
    scored = ((similarity(query, g), -i) for i, g in enumerate(grams))
    found: dict[str, float] = {}
    for score, minus_index in heapq.nlargest(limit, scored):
        token = tokens[-minus_index]
        if score >= min_similarity or (len(word) >= 2 and token.startswith(word)):
            found[token] = score
    return found
