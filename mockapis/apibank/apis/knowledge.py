"""Read-only lookups on the imported init databases: Wiki, SearchEngine (BM25 as upstream's
``rank_bm25.BM25Okapi``), DocumentQA, ImageCaption, SpeechRecognition, QueryHistoryToday,
QueryStock; and Dictionary and Translate, whose upstream calls live web services.

Dictionary and Translate answer offline from the imported gold calls: the result of a gold
call with the same (normalised) input, else the failure upstream reports when the web service
does not know the input (Dictionary: ``Failed.``). So every gold call of theirs reproduces,
and nothing else pretends to translate.

Kept upstream behaviour: DocumentQA never answers from its database (see its docstring).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from mockapis.apibank import home
from mockapis.apibank.apis.common import DATE, normalise_date, valid
from mockapis.apibank.base import Api, ApiBankError, Db, register
from mockapis.apibank.checks import by, same_call

__all__ = [
    "BM25",
    "Dictionary",
    "DocumentQA",
    "ImageCaption",
    "QueryHistoryToday",
    "QueryStock",
    "SearchEngine",
    "SpeechRecognition",
    "Translate",
    "Wiki",
    "word_tokenize",
]


@register
class Wiki(Api):
    """The URL and summary of a Wikipedia article by keyword."""

    name = "Wiki"
    database = "Wiki"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        keyword = args["keyword"].replace("_", " ").strip().lower()
        entries = home.init_database("Wiki")
        if keyword not in entries:
            raise ApiBankError("Keyword not found.")
        return {"url": entries[keyword]["url"], "summary": entries[keyword]["summary"]}

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: API name, output and exception."""
        return same_call(response, gold, name=self.name)


_TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]")


def word_tokenize(text: str) -> list[str]:
    """Words and punctuation marks (close to NLTK's ``word_tokenize`` on plain queries)."""
    return _TOKEN.findall(text)


class BM25:
    """Okapi BM25 as ``rank_bm25.BM25Okapi`` (k1 1.5, b 0.75, negative idf floored at
    0.25 times the mean idf)."""

    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.docs = [Counter(doc) for doc in corpus]
        self.lengths = [len(doc) for doc in corpus]
        self.avgdl = sum(self.lengths) / len(corpus) if corpus else 0.0
        freq: Counter[str] = Counter()
        for doc in self.docs:
            freq.update(doc.keys())
        n = len(corpus)
        idf = {w: math.log(n - f + 0.5) - math.log(f + 0.5) for w, f in freq.items()}
        average = sum(idf.values()) / len(idf) if idf else 0.0
        eps = 0.25 * average
        self.idf = {w: (eps if v < 0 else v) for w, v in idf.items()}

    def scores(self, query: Sequence[str]) -> list[float]:
        """The score of every document for ``query``."""
        result = [0.0] * len(self.docs)
        for term in query:
            idf = self.idf.get(term, 0.0)
            for i, doc in enumerate(self.docs):
                tf = doc.get(term, 0)
                norm = 1 - self.b + self.b * self.lengths[i] / self.avgdl if self.avgdl else 1.0
                result[i] += idf * (tf * (self.k1 + 1) / (tf + self.k1 * norm))
        return result


@functools.lru_cache(maxsize=4)
def _bm25(marker: int) -> BM25:
    del marker
    data = home.init_database("SearchEngine")
    return BM25(data["tokenized_documents"])


@register
class SearchEngine(Api):
    """The two best documents for a keyword (BM25 over the database's tokenised documents)."""

    name = "SearchEngine"
    database = "SearchEngine"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        data = home.init_database("SearchEngine")
        query = word_tokenize(args["keyword"].lower().strip())
        scores = _bm25(id(data)).scores(query)
        ranking = sorted(range(len(scores)), key=lambda i: -scores[i])[:2]
        return [data["raw_documents"][i] for i in ranking]

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: API name and exception; documents compared in any order."""

        def ordered(docs: Any) -> Any:
            if docs is None:
                return None
            return sorted(docs, key=lambda d: d["title"] + d["abstract"], reverse=True)

        return bool(
            response.get("api_name") == gold.get("api_name", self.name)
            and response["exception"] == gold["exception"]
            and ordered(response["output"]) == ordered(gold["output"])
        )


@register
class DocumentQA(Api):
    """Upstream's observable behaviour, kept: every question about a known document gets
    ``The question is too difficult to answer.``, even those the database answers (all 8
    gold calls, which replay exactly upstream, show it); an unknown URL fails."""

    name = "DocumentQA"
    database = "QuestionAnswering"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        url = args["url"].strip()
        documents = home.init_database("QuestionAnswering")
        if url not in documents:
            raise ApiBankError("The url does not exist.")
        return "The question is too difficult to answer."


@register
class ImageCaption(Api):
    """The caption of an image, by URL."""

    name = "ImageCaption"
    database = "ImageCaptioning"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        url = args["url"].strip()
        caption = _captions(id(home.init_database("ImageCaptioning"))).get(url)
        if caption is None:
            raise ApiBankError("The image does not exist.")
        return caption


@functools.lru_cache(maxsize=4)
def _captions(marker: int) -> dict[str, str]:
    del marker
    return {item["url"]: item["caption"] for item in home.init_database("ImageCaptioning")}


@register
class SpeechRecognition(Api):
    """The transcript of an audio file, by URL."""

    name = "SpeechRecognition"
    database = "SpeechRecognition"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        url = args["url"].strip()
        transcripts = home.init_database("SpeechRecognition")
        if url not in transcripts:
            raise ApiBankError("The audio does not exist.")
        return transcripts[url]


def _month_day(value: str) -> str | Exception:
    """Upstream's ``filter_date_format``: ``%Y-%m-%d`` or ``%m-%d`` -> ``%m-%d``."""
    as_date = normalise_date(value, DATE)
    if not isinstance(as_date, Exception):
        return as_date[5:]
    return normalise_date(value.strip(), "%m-%d")


@register
class QueryHistoryToday(Api):
    """Historical events of a day (``%m-%d``, or a full date)."""

    name = "QueryHistoryToday"
    database = "History"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        date = valid(_month_day(args["date"]))
        history = home.init_database("History")
        if date not in history:
            raise ApiBankError("The date is not in the database.")
        return [
            "Title: {}, Date: {}, Description: {}".format(
                h["Title"].strip(), h["Date"].strip(), h["Description"].strip()
            )
            for h in history[date]
        ]

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: dates compared as ``%m-%d``; output and exception equal."""
        return same_call(response, gold, compare={"date": by(lambda d: str(_month_day(d)))})


def _stock_input(code: str, date: str) -> tuple[str | None, str | Exception]:
    stock = code.upper().strip() or None
    return stock, normalise_date(date, DATE)


@register
class QueryStock(Api):
    """The price of a stock on a date."""

    name = "QueryStock"
    database = "Stock"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        code, date = _stock_input(args["stock_code"], args["date"])
        if code is None:
            raise ApiBankError("The stock code cannot be empty.")
        date = valid(date)
        stocks = home.init_database("Stock")
        if code not in stocks:
            raise ApiBankError("The stock code does not exist.")
        if date not in stocks[code]:
            raise ApiBankError("The stock price of this date is not maintained.")
        return stocks[code][date]

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: codes upper-cased, dates normalised; output and exception equal."""
        got = _stock_input(response["input"]["stock_code"], response["input"]["date"])
        want = _stock_input(gold["input"]["stock_code"], gold["input"]["date"])
        return bool(
            got[0] == want[0]
            and str(got[1]) == str(want[1])
            and response["output"] == gold["output"]
            and response["exception"] == gold["exception"]
        )


@functools.lru_cache(maxsize=4)
def _offline_answers(marker: int, api: str) -> dict[str, Any]:
    """Gold results of ``api`` by normalised input (the offline source of web APIs)."""
    del marker
    answers: dict[str, Any] = {}
    for call in home.gold_calls():
        result = call.get("gold_result") or {}
        if call.get("api_name") != api or result.get("exception") is not None:
            continue
        given = result.get("input") or {}
        answers.setdefault(_offline_key(api, given), result.get("output"))
    return answers


def _offline_key(api: str, given: Mapping[str, Any]) -> str:
    if api == "Dictionary":
        return str(given.get("keyword", "")).replace("_", " ").strip().lower()
    return "\x00".join(str(given.get(k, "")).strip() for k in ("src", "tgt_lang"))


def _offline(api: str, given: Mapping[str, Any]) -> Any:
    try:
        calls = home.gold_calls()
    except home.NotImported:
        return None
    return _offline_answers(id(calls), api).get(_offline_key(api, given))


@register
class Dictionary(Api):
    """Meanings of an English word (offline: see the module docstring)."""

    name = "Dictionary"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        found = _offline("Dictionary", args)
        if found is None:
            raise ApiBankError("Failed.")
        return found

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: API name, output and exception."""
        return bool(
            response.get("api_name") == self.name
            and response["output"] == gold["output"]
            and response["exception"] == gold["exception"]
        )


@register
class Translate(Api):
    """Translates text to a target language (offline: see the module docstring)."""

    name = "Translate"
    defaults: ClassVar[Mapping[str, Any]] = {"src_lang": "auto"}

    def input_of(self, args: Mapping[str, Any]) -> Any:
        """As the gold data shows it: ``src_lang`` only when not the default ``auto``."""
        shown = {k: v for k, v in args.items() if k in self.input_parameters}
        if shown.get("src_lang") == "auto":
            shown.pop("src_lang")
        return shown

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        found = _offline("Translate", args)
        if found is None:
            raise ApiBankError(
                "Translation failed: this offline Translate knows only the texts of the "
                "API-Bank dialogues."
            )
        return found
