"""Level-3 movies and posts: preferences, watch history, recommendations, posts, likes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockapis.apibank.base import ApiBankError, Db, register
from mockapis.apibank.lv3.support import LookupApi, Lv3Api, key_error

__all__ = [
    "LikeCount",
    "MovieRecommendations",
    "UserMoviePreferences",
    "UserPosts",
    "UserWatchedMovies",
]


@register
class UserMoviePreferences(LookupApi):
    """A user's favourite genres (unknown users: ``KeyError``'s text)."""

    name = "UserMoviePreferences"
    key = ("user_name",)


@register
class UserWatchedMovies(LookupApi):
    """The movies a user watched: a bare list output (not ``{"watched_movies": ...}`` as the
    spec's output parameters suggest; upstream's observable output, kept)."""

    name = "UserWatchedMovies"
    key = ("user_name",)

    def missing(self, args: Mapping[str, Any]) -> ApiBankError:
        """Upstream's text for an unknown user."""
        return ApiBankError("User not found.")


@register
class MovieRecommendations(Lv3Api):
    """The movies of each preferred genre, in the order asked. It does not filter out
    watched movies, whatever its description says (upstream's behaviour, kept)."""

    name = "MovieRecommendations"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        """``{"recommended_movies": [...]}``; an unknown genre fails with ``KeyError``'s text."""
        genres = self.data().genres
        preferences = args["preferences"]
        # The list parser takes any JSON ('5' too); upstream then iterates what it got.
        if preferences is None or isinstance(preferences, int | float):
            raise ApiBankError(f"'{type(preferences).__name__}' object is not iterable")
        movies: list[str] = []
        for genre in preferences:
            try:
                movies.extend(genres[genre])
            except KeyError:
                raise key_error(genre) from None
            except TypeError as exc:  # an unhashable genre (a list or object in the list)
                raise ApiBankError(str(exc)) from None
        return {"recommended_movies": movies}


@register
class UserPosts(LookupApi):
    """The ids of a user's posts (unknown users: ``KeyError``'s text, the bare id)."""

    name = "UserPosts"
    key = ("user_id",)


@register
class LikeCount(LookupApi):
    """The number of likes of a post."""

    name = "LikeCount"
    key = ("post_id",)

    def missing(self, args: Mapping[str, Any]) -> ApiBankError:
        """Upstream's text for an unknown post."""
        return ApiBankError(f"Post with ID {args['post_id']} does not exist.")
