"""Restricting a search to some documents, places or years.

A filter keeps a passage when it passes every criterion that is given (an empty criterion
restricts nothing); within one criterion any listed value will do:

* ``sources``: the passage's document path relative to the seeds folder;
* ``places``: the document's place or the provincial-level division it lies in, as stored in
  ``DocumentInfo.place`` / ``.province`` (山东省, 二七区, 全国);
* ``years``: the year the document was delivered in (``DocumentInfo.year``), or a year the
  passage speaks about (its period, ``qa.periods``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Filters:
    sources: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.sources or self.places or self.years)

    def admits_document(self, source: str, info) -> bool:
        """Whether a document passes the source and place criteria (years are judged per passage)."""
        if self.sources and source not in self.sources:
            return False
        if self.places:
            names = {getattr(info, "place", "") or "", getattr(info, "province", "") or ""} if info else set()
            if not names & set(self.places):
                return False
        return True

    def admits_year(self, info, period_years: set[int]) -> bool:
        if not self.years:
            return True
        wanted = set(self.years)
        return bool((info is not None and getattr(info, "year", None) in wanted) or period_years & wanted)
