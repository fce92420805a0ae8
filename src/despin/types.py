"""Typed values that cross module boundaries: what check, restore and trace return."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

SPUN_CONFIDENCE = 0.5  # a text counts as spun when one span is at least this sure


@dataclass(frozen=True)
class Evidence:
    """One reason for a finding: which source proposed it and how strongly."""

    source: str  # "fingerprint", "channel", "lm", "lm-nomination", "acronym", ... (docs/output.md)
    detail: str  # human-readable, e.g. 'known tortured phrase "irregular woodland" for "random forest" (234 papers)'
    score: float = 0.0


@dataclass(frozen=True)
class Alternative:
    """A candidate original wording for a spun span."""

    text: str
    score: float  # log-score: fluency of the original plus log-probability of the swap
    sources: tuple[str, ...] = ()


def as_confidence(probability: float) -> float:
    """A probability as findings report it: four places, and never 1.0, since no finding is
    certain (restore at --min-confidence 1 rewrites nothing)."""
    return round(min(probability, 0.9999), 4)


@dataclass(frozen=True)
class Finding:
    """A span that looks spun, with its best restoration."""

    start: int  # character offsets into the checked text
    end: int
    text: str
    restoration: str | None  # None when flagged but not restorable
    confidence: float  # probability that the span is spun, 0..1
    rewrite: bool  # True when confident enough for `restore` to change it
    alternatives: tuple[Alternative, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    kind: str = "spin"  # "spin", "fingerprint", or "observed-phrase" (an ordinary wording in a spun text)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Boilerplate:
    """Autoblog furniture such as `[ad_1]` or a closing "Source link"."""

    start: int
    end: int
    text: str
    kind: str  # "ad-marker", "source-link"


@dataclass(frozen=True)
class Disguise:
    """A word disguised from text matching: an invisible character inside it, or Cyrillic
    letters standing in for Latin ones ("Сourtroom"). despin reads it as `plain`."""

    start: int
    end: int
    text: str
    plain: str
    hidden: tuple[str, ...]  # what was hidden, described: 'invisible U+200B ZERO WIDTH SPACE', ...


@dataclass(frozen=True)
class Change:
    """One edit made by `restore`, in the spirit of ftfy's explanations."""

    start: int
    end: int
    old: str
    new: str
    confidence: float
    evidence: tuple[Evidence, ...] = ()


@dataclass
class CheckResult:
    """Everything `check` found in one text."""

    source: str
    words: int
    spin_score: float  # 0 (clean) .. 1 (thoroughly spun)
    findings: list[Finding] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)
    disguises: list[Disguise] = field(default_factory=list)
    language: str = "en"
    supported: bool = True
    note: str = ""

    @property
    def spun(self) -> bool:
        """The verdict: some span is more likely spun than not. Weaker flags are still listed."""
        return any(f.confidence >= SPUN_CONFIDENCE for f in self.findings)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["spun"] = self.spun
        return data


@dataclass
class RestoreResult:
    """The restored text and every change that produced it."""

    text: str
    changes: list[Change]
    check: CheckResult
