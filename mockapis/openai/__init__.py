"""OpenAI API (``api.openai.com/v1``): files, Responses, Chat Completions and models, answered
by a deterministic rule-based simulator (:mod:`mockapis.openai.simulator`).

Stored tables (scenario checks read them):

- ``openai.files``: ``file-...`` -> the file object (``id``, ``object``, ``bytes``,
  ``created_at``, ``filename`` (stored literally), ``purpose``, ``status``) plus ``data``
  (base64 of the bytes).
- ``openai.responses``: ``resp_...`` -> the response object (``output``, ``text.format``,
  ``usage``, ``metadata`` ...) plus ``input_items`` (the input messages as listed by
  ``/input_items``) and ``_context`` (the material the model read, for chained requests).
- ``openai._keys``: API key -> ``{"key", "project"}``; ``openai._settings``:
  ``max_file_bytes`` (from the size of that name; 1 MiB by default).

Emulated: Bearer ``sk-...`` keys with OpenAI's 401 wording; the error object
``{"error": {"message", "type", "param", "code"}}``; multipart uploads with per-purpose
format rules and a size limit (413); cursor lists; Responses with string or message input,
``input_text``/``input_file``/``input_image`` parts, ``text.format`` (text, json_object,
json_schema with strict-mode checks), ``store``, ``previous_response_id``, ``metadata``;
Chat Completions with ``response_format``. Not emulated: streaming, tools, batches,
fine-tuning jobs, stored chat completions.

Fidelity: every emulated operation's responses validate against OpenAI's published OpenAPI
description (``../shared/vendor-specs``; ``tests/conformance/services/openai.py``, whose
allow-list has the two places the live API differs from it) and parse into the ``openai``
package's own response types (``tests/mockapis/openai/test_openai_conformance.py``).
"""

from mockapis.openai import chat, files, models, responses
from mockapis.openai.data import DEFAULT_SIZES, seed
from mockapis.openai.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="openai",
    hosts=("api.openai.com",),
    routes=[*files.ROUTES, *responses.ROUTES, *chat.ROUTES, *models.ROUTES],
    spec="openai.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="OpenAI API: files, Responses, Chat Completions and models, answered by a "
    "deterministic rule-based model simulator.",
    default_sizes=DEFAULT_SIZES,
)
