"""Check and restore: known fingerprints first, then the channel's pass over suspicious
stretches (channel_pass.py) and, in model mode, the context model's rounds (model_rounds.py)."""
from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from despin.candidates.expansions import load_expansions
from despin.candidates.fingerprints import (
    POSSESSIVE,
    Fingerprint,
    FingerprintHit,
    FingerprintMatcher,
    load_fingerprints,
    words_of,
)
from despin.candidates.morphology import inflect_like, match_case
from despin.candidates.spin_table import mine_spin_table
from despin.candidates.thesaurus import Thesaurus
from despin.decoding.acronyms import apply_acronyms, expand_acronyms
from despin.decoding.agreement import agree_with_neighbours
from despin.decoding.channel import ChannelModel, Settings
from despin.decoding.channel_pass import ChannelPass
from despin.decoding.document_prior import DocumentPrior, apply_prior
from despin.decoding.model_rounds import ModelRounds
from despin.decoding.names import caution_names
from despin.decoding.nominations import Nominator
from despin.decoding.observed import observed_phrases
from despin.decoding.plain_fingerprints import caution_plain_fingerprints
from despin.decoding.spans import clear_of, non_overlapping, offsets
from despin.decoding.spun_text import looks_spun, spin_score
from despin.decoding.tokens import BLANK_LINE, Token, hyphen_parts, tokenize
from despin.reading.boilerplate import find_boilerplate, strip_boilerplate
from despin.reading.disguise import Unmasked, report_in_raw, unmask
from despin.reading.disguise import evidence as disguise_evidence
from despin.reading.language import detect_language
from despin.scoring.ngrams import PhraseTable
from despin.types import (
    Alternative,
    Change,
    CheckResult,
    Evidence,
    Finding,
    RestoreResult,
    as_confidence,
)


@dataclass(frozen=True)
class Config:
    """What the engine knows and how bold it is.

    `fingerprint_splits` and `news_part` exist so that benchmarks can hide the rows they measure
    on; the shipped defaults use every fingerprint and every observed news swap.
    """

    fingerprint_splits: tuple[str, ...] = ("dev", "test")
    news_part: str = "all"
    # Which dev rows the spin table mines and whose expected phrases count as known terms.
    dev_rows: Callable[[Fingerprint], bool] | None = None
    min_confidence: float = 0.5  # restore rewrites a span only at or above this confidence
    settings: Settings = field(default_factory=Settings)
    # Confidence = sigmoid(slope * (gain - midpoint)), fitted by bench/calibrate.py on held-out
    # dev rows and the `tune` part of the held-out prose. Kept from the fit before the last
    # channel changes (refit: 1.117, 2.50), which on clean `tune` prose would rewrite 2.3 words
    # per 1,000 at confidence 0.5 against 0.6 with this curve: a fit is only as calibrated as
    # its share of spun text, and a false rewrite costs more than a missed one.
    calibration: tuple[float, float] = (0.927, 3.86)
    # Model mode: the context model (when installed) judges the spans the counts alone call
    # (channel gain >= settings.min_gain) and, in a text shown to be spun, those down to
    # `proposal_gain`; `model=False` is the fast mode.
    model: bool = True
    threads: int | None = None
    proposal_gain: float = 0.0
    # Model mode's last round: the words only the next word nominated and the pairs the model
    # finds unlikely, judged and flagged (not rewritten). Off for sorting pages (`--triage`).
    last_flags: bool = True
    # Model mode: how the rest of a text moves each finding's confidence (document_prior.py);
    # None leaves confidences as the rounds gave them.
    prior: DocumentPrior | None = field(default_factory=DocumentPrior)


class Engine:
    """Holds the loaded resources; build one per configuration and reuse it."""

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self.matcher = FingerprintMatcher(load_fingerprints(self.config.fingerprint_splits))
        dev_rows = self.config.dev_rows
        self.channel_pass = self._channel_pass(ChannelModel(
            PhraseTable(dev_rows=dev_rows), Thesaurus(), mine_spin_table(self.config.news_part, dev_rows),
            self._settings(self.config.model)))
        self.expansions = load_expansions(dev_rows)
        if not self.config.model:
            self._use_store()
        self._rounds: ModelRounds | None = None  # loaded on the first English text, not at start-up
        self._rounds_tried = not self.config.model

    @property
    def channel(self) -> ChannelModel:
        return self.channel_pass.channel

    def _channel_pass(self, channel: ChannelModel) -> ChannelPass:
        return ChannelPass(channel, self.config.calibration, self.config.min_confidence)

    @property
    def rounds(self) -> ModelRounds | None:
        """Model mode's judging, or None in fast mode or when no model can be loaded."""
        if not self._rounds_tried:
            self._rounds_tried = True
            from despin.decoding.rescoring import Rescorer
            from despin.scoring.lm import load_context_model

            model = load_context_model(threads=self.config.threads)
            if model is not None:
                self._rounds = ModelRounds(Nominator(self.channel_pass, model, self.config.settings),
                                           Rescorer(model, self.config), self.config.min_confidence,
                                           self.config.last_flags)
            else:  # fast mode after all, with fast mode's channel
                c = self.channel
                self.channel_pass = self._channel_pass(
                    ChannelModel(c.phrases, c.thesaurus, c.table, self._settings(model=False)))
                self._use_store()
        return self._rounds

    @property
    def rescorer(self):
        """The context-model judge (decoding.rescoring.Rescorer), or None without the model."""
        rounds = self.rounds
        return rounds.rescorer if rounds is not None else None

    def _use_store(self) -> None:
        """Fast mode with the shipped fingerprints, spin table and settings reads common words'
        options from the cache folder. Benchmarks that hide rows compute them as they go, so
        that their variants do not each compute and keep a store of their own."""
        c, shipped = self.config, Config()
        if (c.fingerprint_splits, c.news_part, c.dev_rows, c.settings) == (
                shipped.fingerprint_splits, shipped.news_part, shipped.dev_rows, shipped.settings):
            self.channel.use_store()

    def _settings(self, model: bool) -> Settings:
        """The channel's settings in model mode or in fast mode."""
        if model:
            # Pairs only the small corpora attest keep their full weight here: their cap cost
            # spun news on `tune` paragraphs 3 of 203 words restored (87 -> 84) and gained no
            # rewrite on clean prose or held-out `dev` rows; the model reads the context itself.
            return dataclasses.replace(self.config.settings, min_gain=self.config.proposal_gain,
                                       small_count_weight=None)
        # Pairs Moby lists only the other way are for the model to judge. In fast mode they
        # gained nothing on held-out `dev` rows (1,669: recall 0.170 -> 0.171, top-1 7.7%
        # both) and cost about a tenth of its speed on fresh text (docs/lm.md, fifteenth session).
        # A single word seen swapped on spun news ("file" -> "report") is an ordinary word too:
        # without the model to read it in context, it is judged as any mined word swap is. On
        # clean `report` prose that took fast mode's changed words from 72 to 61.
        return dataclasses.replace(self.config.settings, moby_reverse=False, word_phrases=False)

    @property
    def mode(self) -> str:
        return "model" if self.rounds is not None else "fast"

    # -- public ------------------------------------------------------------------------------

    def pair_features(self, text: str) -> list[tuple[int, int, tuple[float, ...]]]:
        """(start, end, features) of every pair of neighbouring words the pair test reads in
        `text`, whatever its verdict: what bench/fit_collocations.py fits the test's weights on.
        Model mode only (empty without the context model)."""
        rounds = self.rounds
        return rounds.nominator.pair_features(text) if rounds is not None else []

    def check(self, text: str, source: str = "<text>") -> CheckResult:
        return self._read(text, source)[2]

    def _read(self, text: str, source: str) -> tuple[Unmasked, CheckResult, CheckResult]:
        """The text's plain reading, the check of it, and the check told in the text as given."""
        view = unmask(text)
        if not view.changed:
            result = self._check(text, source)
            return view, result, result
        result = self._check(view.text, source)
        told = report_in_raw(result, view, text)
        if not result.supported:
            told.disguises = []  # not English: nothing in it is read out, not even a disguise
        return view, result, told

    def _check(self, text: str, source: str) -> CheckResult:
        boilerplate = find_boilerplate(text)
        language, share = detect_language(text)
        if language == "und" and share >= 0.25:
            language = "en"  # heavily spun English reads oddly; only a named language is refused
        tokens = tokenize(text)
        words = sum(1 for t in tokens if t.is_word)
        result = CheckResult(source=source, words=words, spin_score=0.0, boilerplate=boilerplate,
                             language=language)
        if language != "en":
            result.supported = False
            result.note = "not English text: despin only restores English"
            return result
        rounds = self.rounds  # loaded (or found missing) before the channel reads the text
        findings = self._fingerprint_findings(text, tokens)
        taken = offsets(findings)
        proposals = _outside_identifiers(text, clear_of(self.channel_pass.findings(text, tokens, findings), taken))
        if rounds is not None:
            # The model reads the spans the counts alone would call (min_gain) as proposals, and
            # the weaker ones as candidates only where the text is shown spun.
            bar = self.config.settings.min_gain
            weak = [f for f in proposals if f.evidence[0].score < bar]
            sure = [f for f in proposals if f.evidence[0].score >= bar]
            proposals = _outside_identifiers(text, rounds.judge(text, tokens, taken, sure, weak, findings, words))
        if looks_spun(findings + proposals, boilerplate, words):
            covered = taken | offsets(proposals)
            observed = observed_phrases(self.channel, text, tokens, covered, self.config.min_confidence)
            if observed and rounds is not None:
                observed = rounds.read_observed(text, observed, findings + proposals, words)
            proposals += observed
        findings += proposals
        findings = expand_acronyms(text, tokens, findings, self.expansions, self._originals,
                                   self._phrase_originals)
        findings = apply_acronyms(tokens, findings, self._originals)  # sorted by start
        findings = caution_names(findings, self.channel.phrases)
        if rounds is not None:
            findings = caution_plain_fingerprints(text, findings, rounds.rescorer)
            if self.config.prior is not None:
                findings = apply_prior(findings, words, self.config.prior, self.config.min_confidence)
        result.findings = findings
        result.spin_score = spin_score(findings, words, bool(boilerplate))
        return result

    def restore(self, text: str, min_confidence: float | None = None, source: str = "<text>") -> RestoreResult:
        view, plain_report, report = self._read(text, source)
        if not report.supported:
            return RestoreResult(text, [], report)  # not English: not even a disguise is read out
        changes = [
            Change(f.start, f.end, f.text, _spaced_like(f.text, f.restoration), f.confidence, f.evidence)
            for f in plain_report.findings
            # `rewrite` is the default; an explicit threshold overrides it both ways.
            if f.restoration is not None and (f.rewrite if min_confidence is None else f.confidence >= min_confidence)
        ]
        # The rewrites agree with their neighbours as the plain reading has them: a disguised
        # "аn" (Cyrillic а) is still the article of the word after it.
        cursor = 0
        for k, change in enumerate(changes):
            changes[k] = agree_with_neighbours(view.text, change, cursor)
            cursor = changes[k].end
        if view.changed:
            disguises = min_confidence is None or DISGUISE_CONFIDENCE >= min_confidence
            changes = _in_raw(changes, view, text, disguises)
        pieces = []
        cursor = 0
        for change in changes:
            pieces.append(text[cursor : change.start])
            pieces.append(change.new)
            cursor = change.end
        pieces.append(text[cursor:])
        restored = "".join(pieces)
        if report.boilerplate:
            # Offsets move with the rewrites, so find the furniture again in the new text.
            restored = strip_boilerplate(restored, find_boilerplate(restored))
            if text.endswith("\n") and restored and not restored.endswith("\n"):
                restored += "\n"  # closing furniture took the last line break with it
        return RestoreResult(restored, changes, report)

    # -- known fingerprints ------------------------------------------------------------------

    def _fingerprint_findings(self, text: str, tokens: Sequence[Token]) -> list[Finding]:
        whole = [t for t in tokens if t.is_word]
        # (hit, the word list it indexes, the extent of the whole words it lies in)
        hits = [(hit, whole, (whole[hit.first].start, whole[hit.last].end)) for hit in self.matcher.find(whole)]
        hits += self._compound_hits(whole)
        findings = []
        for hit, words, (outer_start, outer_end) in hits:
            fp = hit.fingerprint
            last = _before_acronym(text, words, hit.first, hit.last, fp)
            if not _written_together(text, words[hit.first : last + 1], fp.proximity is not None) \
                    or _in_identifier(text, outer_start, outer_end):
                continue
            start, end = words[hit.first].start, words[last].end
            spun = text[start:end]
            # Where the Screener gives no single original ("???", alternatives, a note with a
            # link), the phrase is flagged, never rewritten: writing its note back would be no
            # restoration, and an empty one deleted the phrase.
            restoration = None
            if fp.original is not None and fp.proximity is None:
                restoration = _fingerprint_restoration(text, words[hit.first : last + 1], fp)
            confidence = as_confidence(min(0.99, 0.9 + 0.02 * math.log10(max(fp.papers, 1))))
            original = (f'for "{fp.expected}"' if fp.original is not None
                        else f'for which the Screener gives no single original to write back ("{fp.expected}")')
            findings.append(
                Finding(
                    start=start, end=end, text=spun, restoration=restoration, confidence=confidence,
                    rewrite=restoration is not None, kind="fingerprint",
                    alternatives=(Alternative(restoration, 0.0, ("fingerprint",)),) if restoration else (),
                    evidence=(Evidence("fingerprint", f"known tortured phrase {fp.query} {original} "
                                       f"({fp.papers} papers)", confidence),),
                )
            )
        return non_overlapping(findings, key=lambda f: (-(f.end - f.start), f.start))

    def _compound_hits(self, whole: Sequence[Token]) -> list[tuple[FingerprintHit, Sequence[Token], tuple[int, int]]]:
        """Matches of a phrase inside a hyphenated compound ("counterfeit-consciousness
        systems"), found on the words with the compounds cut at their hyphens. Only a fingerprint
        listed without hyphens may match across one ("message-just" is a tortured phrase, "the
        message just arrived" is not), and not across a compound WordNet lists ("cutting-edge",
        "creepy-crawlies": the words of a known phrase, but ordinary English). Only stretches
        around compounds are cut (a copy of a long text's words took 90 MB), and only matches
        whose phrase can reach a cut word are looked for (a `~N` match reaching further is not)."""
        reach = self.matcher.longest - 1
        stretches: list[list[int]] = []
        for n, word in enumerate(whole):
            if "-" in word.text:
                if stretches and n - reach <= stretches[-1][1]:
                    stretches[-1][1] = min(len(whole), n + reach + 1)
                else:
                    stretches.append([max(0, n - reach), min(len(whole), n + reach + 1)])
        @functools.cache
        def document() -> str:  # AND/NOT terms are looked for with compounds cut too
            return f" {' '.join(w.lower.replace('-', ' ') for w in whole)} "

        found = []
        for a, b in stretches:
            parts, of = hyphen_parts(whole[a:b])
            cut = ["-" in whole[a + n].text for n in of]
            near = sorted({i for j, c in enumerate(cut) if c for i in range(max(0, j - reach), j + 1)})
            for hit in self.matcher.find(parts, near, document):
                inside = range(hit.first, hit.last + 1)
                if any("-" in w for w in hit.fingerprint.phrase) or not any(cut[i] for i in inside):
                    continue
                if _listed_compound(whole[a:b], parts, of, inside):
                    continue
                found.append((hit, parts, (whole[a + of[hit.first]].start, whole[a + of[hit.last]].end)))
        return found

    def _originals(self, word: str) -> list[tuple[str, str]]:
        """A lowercase word's candidate originals as (text, source), best first."""
        return [(" ".join(o.words), o.source) for o in self.channel.word_options(word)]

    def _phrase_originals(self, words: tuple[str, ...]) -> list[str]:
        """What spinners were seen writing these lowercase words for (the spin table's phrase swaps)."""
        return list(self.channel.table.phrases.get(words, ()))


def _listed_compound(whole: Sequence[Token], parts: Sequence[Token], of: Sequence[int], inside: range) -> bool:
    """Whether a match over `inside` (part indices) takes in a hyphenated word WordNet lists, as
    written or as far as the match reaches into it."""
    from despin.candidates.wordnet import wordnet_compounds

    listed = wordnet_compounds()
    for n in dict.fromkeys(of[i] for i in inside):
        word = whole[n].lower
        if "-" not in word:
            continue
        within = "-".join(parts[i].lower for i in inside if of[i] == n)
        if word in listed or within in listed:
            return True
    return False


def _fingerprint_restoration(text: str, words: Sequence[Token], fp: Fingerprint) -> str:
    """A fingerprint's original as it replaces the words matched: in the last word's number, with
    its possessive ending unless the listed phrase holds that ("inevitably Tom's" -> "by"), in
    the text's capitals, and one compound where the phrase was one ("artificial-intelligence
    systems")."""
    written = words[-1].text
    owner = POSSESSIVE.search(written) if written.lower() != fp.phrase[-1] else None
    ending = owner.group() if owner else ""
    spun = text[words[0].start : words[-1].end]
    original = match_case(inflect_like(fp.original, written[: len(written) - len(ending)]), spun.replace("-", " "))
    if len(words) > 1 and all(text[a.end : b.start] == "-" for a, b in itertools.pairwise(words)):
        original = "-".join(original.split())
    return original + ending


def _before_acronym(text: str, words: Sequence[Token], first: int, last: int, fp: Fingerprint) -> int:
    """The last word of a fingerprint's span: the phrase's own last word, unless that is an acronym
    in parentheses ("data technology (IT)"), which the Screener's original leaves out and the text
    keeps: restoring the whole span wrote "information technology)"."""
    if last > first and "(" in text[words[last - 1].end : words[last].start] \
            and (fp.original is None or words_of(fp.original)[-1:] != (words[last].lower,)):
        return last - 1
    return last


_CLAUSE_END = re.compile(r"[.!?;:]\s|" + BLANK_LINE.pattern)
_JOINERS = "._@/\\:"  # a word joined by these to a letter or digit is part of an address, a path or a name


def _written_together(text: str, words: Sequence[Token], proximity: bool) -> bool:
    """Whether the words a fingerprint matched form one phrase in the text: only spaces, single
    line breaks or a compound's hyphens between them (for a `~N` fingerprint, nothing that ends
    a clause). The matcher sees words only; without this, "counterfeit. Consciousness" across
    two sentences was rewritten with the full stop deleted."""
    if proximity:
        return not _CLAUSE_END.search(text, words[0].start, words[-1].end)
    for a, b in itertools.pairwise(words):
        gap = text[a.end : b.start]
        if gap != "-" and (not gap.isspace() or BLANK_LINE.search(gap)):
            return False
    return True


def _spaced_like(spun: str, restoration: str) -> str:
    """The restoration with the spun words' own white space between its words, where it has as
    many: a phrase wrapped over two lines ("irregular\n    woodland") stays wrapped, and a
    non-breaking space stays one."""
    gaps = _SPACES.findall(spun)
    words = restoration.split(" ")
    if len(words) != len(gaps) + 1 or len(words) == 1:
        return restoration
    return "".join(word + gap for word, gap in zip(words, [*gaps, ""]))


_SPACES = re.compile(r"\s+")


# Writing a disguised word plainly is certain, but no change reports 1.0: `--min-confidence 1`
# rewrites nothing, not even a disguise.
DISGUISE_CONFIDENCE = as_confidence(1.0)


def _in_raw(changes: list[Change], view: Unmasked, text: str, disguises: bool) -> list[Change]:
    """Changes made to the plain reading, told in the text as given (the characters hidden inside
    each span included), and, with `disguises`, the rest of each disguised word written plainly
    as changes of their own: also the part of a compound that a rewrite of its other part left
    ("wооdland-bаsed", its first part rewritten, still needs its "а" read out)."""
    raw = []
    for change in changes:
        start, end, noted = view.moved_back(change.start, change.end)
        raw.append(dataclasses.replace(change, start=start, end=end, old=text[start:end], evidence=change.evidence + noted))
    if disguises:
        covered = [(c.start, c.end) for c in raw]
        for d in view.disguises:
            for start, end in _uncovered(d.start, d.end, covered):
                plain = view.text[view.plain(start) : view.plain(end)]
                if plain != text[start:end]:
                    raw.append(Change(start, end, text[start:end], plain, DISGUISE_CONFIDENCE, (disguise_evidence([d]),)))
    return sorted(raw, key=lambda c: c.start)


def _uncovered(start: int, end: int, covered: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches of [start, end) outside the `covered` spans, which are sorted and apart."""
    stretches = []
    # From the last span that starts at or before `start`: only it may reach into the stretch.
    at = max(bisect.bisect_right(covered, (start, math.inf)) - 1, 0)
    for first, last in covered[at:]:
        if first >= end:
            break
        if first > start:
            stretches.append((start, first))
        start = max(start, last)
    if start < end:
        stretches.append((start, end))
    return stretches


def _outside_identifiers(text: str, findings: list[Finding]) -> list[Finding]:
    """The findings that are not part of an address, a path or an identifier: a spinner leaves
    links alone, and "www.irregular-woodland.org" rewritten is a broken link."""
    return [f for f in findings if not _in_identifier(text, f.start, f.end)]


def _in_identifier(text: str, start: int, end: int) -> bool:
    """Whether the words from `start` to `end` are part of an e-mail address, a host name, a
    path or an identifier ("run_counterfeit_consciousness", "www.bosom.peril.org")."""
    before, after = text[start - 1 : start], text[end : end + 1]
    if before == "_" or after == "_" or before == "@" or after == "@":
        return True
    if before and before in _JOINERS and text[start - 2 : start - 1].isalnum():
        return True
    return bool(after and after in _JOINERS and text[end + 1 : end + 2].isalnum())
