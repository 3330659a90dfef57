"""FAQ search: the text normalization of both languages, and a BM25 ranking of FAQ items.

Arabic ignores diacritics (tashkeel), tatweel and letter variants (أ إ آ ٱ as ا, ة as ه, ى as ي);
English ignores case. Words are then stemmed by the Snowball stemmers (`snowballstemmer`, the
pure-Python build of the Snowball project): English loses plural and other endings, Arabic its
article and common affixes. A document is an item's question (counted twice) and answer, in both
languages, so that a query in either language finds it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from customer_id.support.faq.models import FaqItem

K1 = 1.2
B = 0.75
QUESTION_WEIGHT = 2

_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_VARIANTS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ـ": None,  # tatweel
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},  # Eastern Arabic-Indic digits
    }
)
_WORD = re.compile(r"\w+")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def normalize(text: str) -> str:
    """Compatibility forms folded (NFKC: Arabic presentation forms become letters), case folded,
    diacritics dropped, letter variants unified."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _TASHKEEL.sub("", folded).translate(_VARIANTS)


class Analyzer:
    """Text to search terms. Snowball stemmers keep state while they work: one analyzer per thread."""

    def __init__(self) -> None:
        import snowballstemmer  # only the search pays for loading the stemmers

        self._english: Any = snowballstemmer.stemmer("english")
        self._arabic: Any = snowballstemmer.stemmer("arabic")

    def terms(self, text: str) -> list[str]:
        return [self._stem(word) for word in _WORD.findall(normalize(text))]

    def _stem(self, word: str) -> str:
        if _ARABIC_LETTER.search(word):
            # Snowball takes a final ة for a suffix, but a final ه after the article for part of the
            # word: the stemmer reads every final ه (the normalized ة) as ة, and its stem is normalized
            stem: str = self._arabic.stemWord(word[:-1] + "ة" if word.endswith("ه") else word)
            stem = stem.translate(_VARIANTS)
        elif word.isascii() and word.isalpha():
            stem = self._english.stemWord(word)
        else:
            return word
        return stem or word


@dataclass(frozen=True)
class Match:
    item: FaqItem
    score: float


class FaqIndex:
    """BM25 over the items' questions and answers, built once and searched many times."""

    def __init__(self, items: Sequence[FaqItem]) -> None:
        analyzer = Analyzer()
        self._items = list(items)
        self._frequencies: list[Counter[str]] = []
        for item in self._items:
            terms: Counter[str] = Counter()
            for language in sorted(item.question):
                for _ in range(QUESTION_WEIGHT):
                    terms.update(analyzer.terms(item.question[language]))
            for language in sorted(item.answer):
                terms.update(analyzer.terms(item.answer[language]))
            self._frequencies.append(terms)
        self._lengths = [sum(terms.values()) for terms in self._frequencies]
        self._average_length = sum(self._lengths) / len(self._lengths) if self._lengths else 0.0
        self._document_frequency: Counter[str] = Counter()
        for terms in self._frequencies:
            self._document_frequency.update(terms.keys())

    def _idf(self, term: str) -> float:
        count, frequency = len(self._items), self._document_frequency[term]
        return math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))

    def search(self, query: str, limit: int) -> list[Match]:
        """The best `limit` items that contain a term of the query, best first; ties in the index's order."""
        wanted = set(Analyzer().terms(query))
        scored: list[tuple[float, int]] = []
        for position, terms in enumerate(self._frequencies):
            score = 0.0
            for term in wanted & terms.keys():
                frequency = terms[term]
                length_ratio = self._lengths[position] / self._average_length
                score += (
                    self._idf(term) * frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length_ratio))
                )
            if score > 0:
                scored.append((-score, position))
        return [Match(self._items[position], -negative) for negative, position in sorted(scored)[:limit]]
