"""ROUGE-L F1 of a reply against the gold reply, as API-Bank's evaluators compute it.

API-Bank (``evaluator.py``, ``lv3_evaluator.py``) scores replies with
``Rouge().get_scores(hypothesis, reference)[0]["rouge-l"]["f"]`` from the PyPI package
``rouge`` (pltrdy/rouge 1.0.1, unpinned in its requirements). That is not the textbook
ROUGE-L; this module re-implements its exact arithmetic, so scores match the paper's:

- sentences: the text split on ``"."``, empty pieces dropped, each piece's whitespace runs
  collapsed to one space (a piece of only spaces stays, as an empty sentence);
- words: each sentence split on ``" "``; case and punctuation other than ``"."`` are kept
  (``"Hello,"`` and ``"hello"`` differ);
- summary-level union LCS with *sets* (the package's default ``exclusive=True``): for each
  reference sentence, one LCS with each hypothesis sentence is reconstructed (ties broken as
  the package does), and the words of all of them are pooled in one set; its size is the
  overlap. Recall divides it by the number of distinct reference words, precision by the
  number of distinct hypothesis words; F1 = 2PR / (P + R + 1e-8).

Where the package raises (an empty hypothesis or reference: ``"Hypothesis is empty."``),
API-Bank's evaluators score 0 for an empty reply; this returns 0.0 for every such case.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["rouge_l", "rouge_l_f1", "sentences"]


def sentences(text: str) -> list[str]:
    """The package's sentence split: on ``"."``, empty pieces dropped, whitespace collapsed."""
    return [" ".join(piece.split()) for piece in text.split(".") if len(piece) > 0]


def _words(sents: Sequence[str]) -> list[str]:
    return [word for sent in sents for word in sent.split(" ")]


def _lcs_words(ref: Sequence[str], hyp: Sequence[str]) -> set[str]:
    """The words of one longest common subsequence of ``ref`` and ``hyp``, reconstructed
    from the end as the package does (on a tie, step back in ``hyp``)."""
    n, m = len(ref), len(hyp)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev = table[i], table[i - 1]
        for j in range(1, m + 1):
            if ref[i - 1] == hyp[j - 1]:
                row[j] = prev[j - 1] + 1
            else:
                row[j] = max(prev[j], row[j - 1])
    found: set[str] = set()
    i, j = n, m
    while i > 0 and j > 0:
        if ref[i - 1] == hyp[j - 1]:
            found.add(ref[i - 1])
            i, j = i - 1, j - 1
        elif table[i - 1][j] > table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return found


def rouge_l(hypothesis: str, reference: str) -> dict[str, float]:
    """ROUGE-L ``{"f", "p", "r"}`` of ``hypothesis`` against ``reference`` (all 0.0 when
    either has no sentence)."""
    hyp = sentences(hypothesis)
    ref = sentences(reference)
    if not hyp or not ref:
        return {"f": 0.0, "p": 0.0, "r": 0.0}
    union: set[str] = set()
    hyp_words = [sent.split(" ") for sent in hyp]
    for ref_sent in ref:
        ref_words = ref_sent.split(" ")
        for words in hyp_words:
            union |= _lcs_words(ref_words, words)
    recall = len(union) / len(set(_words(ref)))
    precision = len(union) / len(set(_words(hyp)))
    f1 = 2.0 * ((precision * recall) / (precision + recall + 1e-8))
    return {"f": f1, "p": precision, "r": recall}


def rouge_l_f1(hypothesis: str, reference: str) -> float:
    """API-Bank's reply score: ROUGE-L F1 (0.0 for an empty reply)."""
    return rouge_l(hypothesis, reference)["f"]
