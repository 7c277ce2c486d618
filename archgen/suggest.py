"""Did-you-mean suggestions among many names, in bounded time.

``difflib`` compares a name with every candidate; over thousands of ids and thousands of
unknown references that is minutes of work. Above a few hundred candidates, an index of
character pairs picks the few candidates that share the most (rare) pairs with the name, and
only those are compared. Each distinct name is looked up once, and at most ``max_lookups``
distinct names get suggestions at all: past that, a spec is mostly misspelt and a hint per
reference would not help anyway.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable


def did_you_mean(names: Iterable[str], shown: bool = False) -> str | None:
    """The one wording of a suggestion: ``did you mean `a` or `b`?``, or None for no names.
    ``shown`` names are already quoted for display (an alias with its service id)."""
    names = [n if shown else f"`{n}`" for n in names]
    return f"did you mean {' or '.join(names)}?" if names else None


SMALL = 300  # up to this many candidates, compare with all of them
SHORTLIST = 32  # candidates compared per name when the index is used
MAX_LOOKUPS = 100  # distinct names that get suggestions


def _pairs(name: str) -> set[str]:
    padded = f"\x02{name.lower()}\x03"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


class Suggester:
    """Close spellings of a name among fixed candidates."""

    def __init__(self, candidates: Iterable[str], max_lookups: int = MAX_LOOKUPS) -> None:
        self.candidates = list(dict.fromkeys(candidates))
        self.max_lookups = max_lookups
        self._cache: dict[str, list[str]] = {}
        self._index: dict[str, list[int]] | None = None

    def close(self, name: str, n: int = 2, cutoff: float = 0.6) -> list[str]:
        """Up to ``n`` candidates close to ``name``, best first (``difflib`` ratio)."""
        if name in self._cache:
            return self._cache[name][:n]
        if len(self._cache) >= self.max_lookups:
            return []
        pool = self.candidates if len(self.candidates) <= SMALL else self._shortlist(name)
        import difflib  # only when a name is misspelt: most checks never need it

        hits = difflib.get_close_matches(name, pool, n=max(n, 2), cutoff=cutoff)
        self._cache[name] = hits
        return hits[:n]

    def hint(self, name: str) -> str | None:
        """``did you mean `a` or `b`?``, or None when nothing is close."""
        return did_you_mean(self.close(name))

    def _shortlist(self, name: str) -> list[str]:
        if self._index is None:
            index: dict[str, list[int]] = defaultdict(list)
            for i, candidate in enumerate(self.candidates):
                for pair in _pairs(candidate):
                    index[pair].append(i)
            self._index = dict(index)
        # pairs that most candidates share say little and cost the most: like stop words,
        # they are skipped unless nothing rarer is there
        postings = sorted((self._index.get(pair, ()) for pair in _pairs(name)), key=len)
        common = max(SMALL, len(self.candidates) // 8)
        chosen = [p for p in postings if len(p) <= common] or postings[:1]
        shared: Counter[int] = Counter()
        for posting in chosen:
            shared.update(posting)
        best = heapq.nlargest(SHORTLIST, shared.items(), key=lambda item: (item[1], -item[0]))
        return [self.candidates[i] for i, _ in best]
