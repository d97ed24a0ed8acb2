"""ROUGE-L F1 as API-Bank computes it (the ``rouge`` package 1.0.1's arithmetic).

The expected values were computed with ``rouge==1.0.1`` (``Rouge().get_scores(hyp, ref)[0]
["rouge-l"]``); the module matched that package bit for bit on 3,004 pairs built from
API-Bank's gold replies (identical, shuffled, truncated, re-cased, re-spaced, unrelated).
"""

from __future__ import annotations

import pytest

from gym_apibench.apibank.rouge import rouge_l, rouge_l_f1, sentences

# (hypothesis, reference, {"r", "p", "f"}) from the rouge package itself.
PACKAGE_CASES = [
    (
        "The reminder has been successfully modified.",
        "Your health data has been recorded.",
        {"r": 0.3333333333333333, "p": 0.3333333333333333, "f": 0.3333333283333334},
    ),
    (
        "The stock price for Amazon on March 10, 2022 was $3023.6.",
        "The stock price for Amazon on March 10, 2022 was $3023.6.",
        {"r": 1.0, "p": 1.0, "f": 0.999999995},
    ),
    (
        "Your appointment with Dr.  Smith on October 10th , 2023 has been cancelled. .",
        "Your appointment with Dr. Smith on October 10th, 2023 has been cancelled.",
        {"r": 0.9166666666666666, "p": 0.7857142857142857, "f": 0.8461538411834321},
    ),
    # Sets, not counts: the union of per-sentence LCS words is a set of words.
    (
        "the cat the dog. the end",
        "the dog the cat. end the",
        {"r": 0.5, "p": 0.5, "f": 0.4999999950000001},
    ),
    # A whitespace-only piece after the last "." is an empty sentence with the word "".
    ("Hi. ", "Hi.", {"r": 1.0, "p": 0.5, "f": 0.6666666622222223}),
    ("a a a", "a", {"r": 1.0, "p": 1.0, "f": 0.999999995}),
    # Case and punctuation count: "Hello," is not "hello".
    ("Hello, world", "hello world", {"r": 0.5, "p": 0.5, "f": 0.4999999950000001}),
    (
        "Sure. I have booked the room for you. Anything else?",
        "I have booked the hotel room for you. Is there anything else I can help with?",
        {"r": 0.4666666666666667, "p": 0.7, "f": 0.5599999952000001},
    ),
    ("x..y", "y. x", {"r": 1.0, "p": 1.0, "f": 0.999999995}),
    # A hypothesis of one space is one empty sentence (the package scores it, 0).
    (" ", "ref text", {"r": 0.0, "p": 0.0, "f": 0.0}),
]


@pytest.mark.parametrize(("hyp", "ref", "want"), PACKAGE_CASES)
def test_matches_the_rouge_package(hyp: str, ref: str, want: dict[str, float]) -> None:
    assert rouge_l(hyp, ref) == want  # exact: same operations in the same order
    assert rouge_l_f1(hyp, ref) == want["f"]


@pytest.mark.parametrize("hyp", ["", ".", "..."])
def test_empty_reply_scores_zero(hyp: str) -> None:
    # The package raises "Hypothesis is empty."; API-Bank's evaluators score an empty reply 0.
    assert rouge_l_f1(hyp, "The meeting has been added.") == 0.0


def test_empty_reference_scores_zero() -> None:
    assert rouge_l_f1("Anything.", "") == 0.0


def test_sentences_split_on_periods_and_collapse_whitespace() -> None:
    assert sentences("Dr.  Smith is  here.\nBye") == ["Dr", "Smith is here", "Bye"]
    assert sentences("Hi. ") == ["Hi", ""]


def test_word_order_matters() -> None:
    ref = "alpha beta gamma delta"
    assert rouge_l_f1("alpha beta gamma delta", ref) > rouge_l_f1("delta gamma beta alpha", ref)


def test_long_texts_do_not_recurse() -> None:
    # The package reconstructs the LCS recursively and overflows the stack past ~1000 words;
    # this one is iterative.
    text = " ".join(f"w{i}" for i in range(1200))
    assert rouge_l_f1(text, text) == pytest.approx(1.0)
