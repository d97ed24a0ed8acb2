"""Slack Web API (``slack.com/api/<method>``): auth, conversations, history, users, posting.

Every method answers ``GET`` (arguments in the query) and ``POST`` (query plus a form or JSON
body), with the bot token as ``Authorization: Bearer xoxb-...`` or as the ``token`` argument
of a POST body. The app is one created after 24 February 2021, which Slack no longer lets send
its token in the query string: a request whose only token is there answers ``invalid_auth``
(so a URL alone, as a reader fetches it, can neither read nor write). Failures are HTTP 200
with ``{"ok": false, "error": "<code>"}`` as Slack sends them (``not_authed``,
``invalid_auth``, ``channel_not_found``, ``invalid_cursor``, ``invalid_limit``,
``invalid_types``, ``invalid_ts_oldest``, ``thread_not_found``, ``no_text``,
``msg_too_long``, ``is_archived`` ...); an unknown method is 404
``unknown_method``. Rate limits (429 with ``Retry-After`` per method tier) are left to the
fault layer's ``rate_limit`` kind, whose 429s render as ``{"ok": false, "error":
"ratelimited"}``. A method the token's scopes do not cover answers ``missing_scope`` with
``needed`` and ``provided``, as Slack does (the seeded bot token holds ``channels:read``,
``channels:history``, ``groups:read``, ``groups:history``, ``users:read`` and
``chat:write``: direct messages are out of its reach).

Stored tables (scenario checks read them):

- ``slack.channels``: channel id -> the conversation object ``conversations.list`` returns
  (``id``, ``name``, ``is_private``, ``is_archived``, ``is_general``, ``created``, ``creator``,
  ``topic``, ``purpose``, ``num_members``, ...). The bot is a member of every channel.
- ``slack.users``: user id -> the member object of ``users.list`` (``name``, ``real_name``,
  ``deleted``, ``profile``, ``is_bot`` ...), the app's bot user among them.
- ``slack.messages``: ``"<channel id>/<ts>"`` -> the message as ``conversations.history``
  returns it (``type``, ``user``, ``text``, ``ts``, ``team``; thread parents add ``thread_ts``,
  ``reply_count``, ``reply_users``, ``reply_users_count``, ``latest_reply``; replies carry
  ``thread_ts`` and ``parent_user_id`` and appear only in ``conversations.replies``).
- ``slack._tokens``: the bot token -> ``{"token", "user_id", "bot_id", "app_id", "team_id",
  "scopes"}``.

Seeded data: ``#general`` (3,000-6,000 top-level messages) and a few other busy channels with
1,200-6,000 each (varying with the seed; see :data:`mockapis.slack.data.DEFAULT_SIZES`), other
channels with up to 40, some private or archived (at least one of each); about 3% of messages
start threads of 1-25 replies. Messages are built channel by channel, when a channel is first
read (``slack.messages`` is a :class:`~mockapis.world.PartitionedTable`).
"""

from mockapis.service import Service
from mockapis.slack import chat, conversations, drift, workspace
from mockapis.slack.data import DEFAULT_SIZES, seed
from mockapis.slack.errors import render_error

__all__ = ["SERVICE"]

SERVICE = Service(
    name="slack",
    hosts=("slack.com",),
    routes=[*workspace.ROUTES, *conversations.ROUTES, *chat.ROUTES],
    spec="slack.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="Slack Web API: conversations, message history and threads, users, posting.",
    default_sizes=DEFAULT_SIZES,
    clone=drift.clone,
)
