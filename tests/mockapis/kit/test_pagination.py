"""Pagination styles: pages, offsets, opaque and keyset cursors, Link headers."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockapis.kit import (
    ApiError,
    NumberedPage,
    decode_cursor,
    encode_cursor,
    link_header,
    offset_params,
    page_links,
    page_params,
    paginate_keyset,
    paginate_offset,
    paginate_pages,
    with_query,
)

ITEMS = list(range(1, 26))  # 25 items
IDS = [f"obj_{n}" for n in range(1, 8)]  # 7 ids, in list order


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def error_of(fn: Callable[..., object], *args: Any, **kwargs: Any) -> ApiError:
    """The 400 ApiError that ``fn(*args, **kwargs)`` raises."""
    with pytest.raises(ApiError) as info:
        fn(*args, **kwargs)
    assert info.value.status == 400
    return info.value


# -- page number -----------------------------------------------------------------------------


def test_pages_slice_and_count() -> None:
    first = paginate_pages(ITEMS, page=1, per_page=10)
    assert first.items == list(range(1, 11))
    assert (first.total, first.last_page, first.prev_page, first.next_page) == (25, 3, None, 2)
    last = paginate_pages(ITEMS, page=3, per_page=10)
    assert last.items == [21, 22, 23, 24, 25]
    assert (last.prev_page, last.next_page) == (2, None)


def test_page_past_the_last_is_empty_and_points_back_to_the_last() -> None:
    page = paginate_pages(ITEMS, page=9, per_page=10)
    assert page.items == []
    assert (page.next_page, page.prev_page) == (None, 3)


def test_empty_listing_has_one_empty_page() -> None:
    page: NumberedPage[int] = paginate_pages([], page=1, per_page=10)
    assert (page.items, page.last_page, page.next_page, page.prev_page) == ([], 1, None, None)


def test_exact_multiple_has_no_extra_page() -> None:
    assert paginate_pages(ITEMS[:20], per_page=10).last_page == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"page": 0}, "page must be >= 1; got 0."),
        ({"per_page": 0}, "per_page must be between 1 and 100; got 0."),
        ({"per_page": 250}, "per_page must be between 1 and 100; got 250."),
        ({"per_page": 60, "max_per_page": 50}, "per_page must be between 1 and 50; got 60."),
    ],
)
def test_page_limits_are_stated(kwargs: dict[str, int], message: str) -> None:
    assert error_of(paginate_pages, ITEMS, **kwargs).message == message


def test_page_params_from_the_query(call) -> None:
    handler = lambda r: list(page_params(r, default_per_page=25, max_per_page=50))  # noqa: E731
    assert call(handler).value == [1, 25]
    assert call(handler, "https://api.test/?page=3&per_page=50").value == [3, 50]
    out = call(handler, "https://api.test/?per_page=51")
    assert out.status == 400
    assert out.error["message"] == "per_page must be an integer between 1 and 50; got 51."
    assert call(handler, "https://api.test/?page=0").status == 400


def test_page_params_custom_names(call) -> None:
    out = call(
        lambda r: list(page_params(r, page_param="p", per_page_param="size")),
        "https://api.test/?p=2&size=5&page=9",
    )
    assert out.value == [2, 5]


@given(
    st.integers(min_value=0, max_value=120),
    st.integers(min_value=1, max_value=100),
)
def test_walking_all_pages_yields_every_item_once(total: int, per_page: int) -> None:
    items = list(range(total))
    seen: list[int] = []
    page_no: int | None = 1
    while page_no is not None:
        page = paginate_pages(items, page=page_no, per_page=per_page)
        seen.extend(page.items)
        page_no = page.next_page
    assert seen == items


# -- offset / limit --------------------------------------------------------------------------


def test_offset_window_and_next_offset() -> None:
    window = paginate_offset(ITEMS, offset=20, limit=3)
    assert window.items == [21, 22, 23]
    assert (window.has_more, window.next_offset, window.total) == (True, 23, 25)
    tail = paginate_offset(ITEMS, offset=23, limit=3)
    assert tail.items == [24, 25]
    assert (tail.has_more, tail.next_offset) == (False, None)


def test_offset_past_the_end_is_empty() -> None:
    window = paginate_offset(ITEMS, offset=100, limit=10)
    assert (window.items, window.has_more, window.next_offset) == ([], False, None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"offset": -1}, "offset must be >= 0; got -1."),
        ({"offset": 20, "max_offset": 10}, "offset must be between 0 and 10; got 20."),
        ({"limit": 0}, "limit must be between 1 and 100; got 0."),
        ({"limit": 250}, "limit must be between 1 and 100; got 250."),
        ({"limit": 11, "max_limit": 10}, "limit must be between 1 and 10; got 11."),
    ],
)
def test_offset_limits_are_stated(kwargs: dict[str, int], message: str) -> None:
    assert error_of(paginate_offset, ITEMS, **kwargs).message == message


def test_offset_errors_are_validation_errors() -> None:
    assert error_of(paginate_offset, ITEMS, limit=250).code == "validation_type"


def test_offset_params_from_the_query(call) -> None:
    handler = lambda r: list(offset_params(r, default_limit=10, max_limit=500))  # noqa: E731
    assert call(handler).value == [0, 10]
    assert call(handler, "https://api.test/?offset=40&limit=500").value == [40, 500]
    out = call(handler, "https://api.test/?limit=501")
    assert out.error["message"] == "limit must be an integer between 1 and 500; got 501."
    assert call(handler, "https://api.test/?offset=-3").status == 400


# -- opaque cursors --------------------------------------------------------------------------


def test_cursor_is_urlsafe_unpadded_compact_json() -> None:
    token = encode_cursor({"offset": 20, "q": "a b?"})
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert raw == b'{"offset":20,"q":"a b?"}'


def test_cursor_is_canonical_whatever_the_key_order() -> None:
    assert encode_cursor({"a": 1, "b": 2}) == encode_cursor({"b": 2, "a": 1})


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=5))
def test_cursor_round_trip(payload: dict[str, Any]) -> None:
    assert decode_cursor(encode_cursor(payload)) == payload


@given(st.text(max_size=80))
def test_garbage_cursor_gives_400_and_nothing_else(token: str) -> None:
    try:
        decoded = decode_cursor(token)
    except ApiError as error:
        assert error.status == 400
        assert error.code == "invalid_cursor"
        assert error.message.startswith("invalid cursor in cursor:")
    else:
        assert isinstance(decoded, dict)


@pytest.mark.parametrize(
    ("token", "why"),
    [
        ("not a cursor!", "it is not URL-safe base64"),
        ("abc=", "it is not URL-safe base64"),  # padding is never part of a cursor
        ("abcde", "it does not decode to a cursor"),  # a length no base64 string has
        (_b64(b"[1, 2]"), "it does not decode to a cursor"),
        (_b64(b"\xff\xfe"), "it does not decode to a cursor"),
        (_b64(b"{"), "it does not decode to a cursor"),
        ("A" * 5000, "it is 5000 characters long; at most 4096"),
    ],
)
def test_invalid_cursor_messages_name_the_param_and_the_reason(token: str, why: str) -> None:
    error = error_of(decode_cursor, token, param="page_token")
    assert error.code == "invalid_cursor"
    assert error.message == (
        f"invalid cursor in page_token: {why}. "
        "Pass back the cursor from a previous response unchanged."
    )


def test_integer_beyond_the_digit_limit_is_a_400() -> None:
    token = _b64(b'{"n":' + b"1" * 5000 + b"}")
    assert "does not decode" in error_of(decode_cursor, token, max_length=10_000).message


def test_long_strings_inside_a_cursor_are_fine() -> None:
    assert decode_cursor(encode_cursor({"d": "[" * 2000})) == {"d": "[" * 2000}


def test_deeply_nested_cursor_is_a_400_not_a_recursion_error() -> None:
    token = _b64(b"[" * 3000 + b"]" * 3000)
    assert "does not decode" in error_of(decode_cursor, token, max_length=10_000).message


# -- keyset (Stripe style) -------------------------------------------------------------------


def test_keyset_first_page() -> None:
    page = paginate_keyset(IDS, limit=3)
    assert (page.ids, page.has_more) == (["obj_1", "obj_2", "obj_3"], True)


def test_keyset_starting_after_walks_forward() -> None:
    page = paginate_keyset(IDS, limit=3, starting_after="obj_3")
    assert (page.ids, page.has_more) == (["obj_4", "obj_5", "obj_6"], True)
    page = paginate_keyset(IDS, limit=3, starting_after="obj_6")
    assert (page.ids, page.has_more) == (["obj_7"], False)
    page = paginate_keyset(IDS, limit=3, starting_after="obj_7")
    assert (page.ids, page.has_more) == ([], False)


def test_keyset_exact_fit_has_no_more() -> None:
    assert paginate_keyset(IDS, limit=7).has_more is False


def test_keyset_ending_before_walks_backward() -> None:
    page = paginate_keyset(IDS, limit=2, ending_before="obj_5")
    assert (page.ids, page.has_more) == (["obj_3", "obj_4"], True)
    page = paginate_keyset(IDS, limit=2, ending_before="obj_3")
    assert (page.ids, page.has_more) == (["obj_1", "obj_2"], False)
    page = paginate_keyset(IDS, limit=5, ending_before="obj_1")
    assert (page.ids, page.has_more) == ([], False)


def test_keyset_errors() -> None:
    both = error_of(paginate_keyset, IDS, starting_after="obj_1", ending_before="obj_3")
    assert both.message == (
        "You may only specify one of these parameters: starting_after, ending_before."
    )
    missing = error_of(paginate_keyset, IDS, starting_after="obj_99")
    assert missing.message == "starting_after: no object with id 'obj_99' in this list."
    assert missing.extra == {"param": "starting_after"}
    missing = error_of(paginate_keyset, IDS, ending_before="x")
    assert missing.message == "ending_before: no object with id 'x' in this list."
    too_many = error_of(paginate_keyset, IDS, limit=101)
    assert too_many.message == "limit must be between 1 and 100; got 101."


@given(st.integers(min_value=0, max_value=30), st.integers(min_value=1, max_value=10))
def test_keyset_walk_forward_then_back_covers_everything(total: int, limit: int) -> None:
    ids = [f"id{n}" for n in range(total)]
    forward: list[str] = []
    page = paginate_keyset(ids, limit=limit)
    forward.extend(page.ids)
    while page.has_more:
        page = paginate_keyset(ids, limit=limit, starting_after=forward[-1])
        forward.extend(page.ids)
    assert forward == ids
    if not ids:
        return
    backward = [ids[-1]]
    page = paginate_keyset(ids, limit=limit, ending_before=ids[-1])
    backward[:0] = page.ids
    while page.has_more:
        page = paginate_keyset(ids, limit=limit, ending_before=backward[0])
        backward[:0] = page.ids
    assert backward == ids


# -- Link header -----------------------------------------------------------------------------

BASE = "https://api.github.com/repos/o/r/issues"


def test_with_query_replaces_in_place_and_keeps_other_params() -> None:
    url = with_query(f"{BASE}?state=open&page=2&per_page=50&labels=a,b", page=3)
    assert url == f"{BASE}?state=open&page=3&per_page=50&labels=a%2Cb"


def test_with_query_appends_a_missing_param_and_collapses_repeats() -> None:
    assert with_query(f"{BASE}?state=open", page=2) == f"{BASE}?state=open&page=2"
    assert with_query(f"{BASE}?page=1&page=5&x=", page=2) == f"{BASE}?page=2&x="


def test_link_header_format() -> None:
    links = link_header({"next": "https://a.test/?page=2", "last": "https://a.test/?page=9"})
    assert links == '<https://a.test/?page=2>; rel="next", <https://a.test/?page=9>; rel="last"'


def test_page_links_in_the_middle_has_all_four_in_githubs_order() -> None:
    links = page_links(f"{BASE}?state=open&page=3", 3, 5)
    assert links == (
        f'<{BASE}?state=open&page=2>; rel="prev", '
        f'<{BASE}?state=open&page=4>; rel="next", '
        f'<{BASE}?state=open&page=5>; rel="last", '
        f'<{BASE}?state=open&page=1>; rel="first"'
    )


def test_page_links_at_the_edges() -> None:
    first = page_links(f"{BASE}?per_page=2", 1, 3)
    assert (
        first == f'<{BASE}?per_page=2&page=2>; rel="next", <{BASE}?per_page=2&page=3>; rel="last"'
    )
    last = page_links(f"{BASE}?page=3", 3, 3)
    assert last == f'<{BASE}?page=2>; rel="prev", <{BASE}?page=1>; rel="first"'
    assert page_links(BASE, 1, 1) is None


def test_page_links_past_the_end_point_back_to_the_last_page() -> None:
    links = page_links(f"{BASE}?page=9", 9, 3)
    assert links == f'<{BASE}?page=3>; rel="prev", <{BASE}?page=1>; rel="first"'


def test_page_links_custom_param() -> None:
    links = page_links(f"{BASE}?p=1", 1, 2, page_param="p")
    assert links == f'<{BASE}?p=2>; rel="next", <{BASE}?p=2>; rel="last"'
