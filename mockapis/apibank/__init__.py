"""API-Bank (Li et al., EMNLP 2023) as an HTTP service at ``apibank.apibench.example``.

The 73 APIs of API-Bank's evaluation (53 of levels 1-2, 20 more of level 3) over their init
databases, from the user's imported copy of the release (``apibench import-apibank PATH``;
see :mod:`mockapis.apibank.home`). No auth header: the APIs' own ``token`` parameters are the
auth, as in API-Bank.

Emulated: ``POST /apis/{api_name}`` with a JSON object of parameters, ``POST /call`` with
API-Bank's call syntax (``[AddAlarm(token='...', time='...')]``) or an OpenAI-style function
call, ``GET /apis`` (names only: at levels 2 and 3 ToolSearcher finds APIs) and
``GET /apis/{api_name}`` (a spec). Results are API-Bank's ``{"api_name", "input", "output",
"exception"}`` (200, or 400/404 with the exception). Framework: :mod:`mockapis.apibank.base`.
"""

from mockapis.apibank import endpoints
from mockapis.apibank.data import DEFAULT_SIZES, seed
from mockapis.apibank.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="apibank",
    hosts=("apibank.apibench.example",),
    routes=endpoints.ROUTES,
    spec="apibank.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="API-Bank's 73 tool APIs (agenda, alarms, meetings, health, bank...) over "
    "their init databases, called as API-Bank calls them.",
    default_sizes=DEFAULT_SIZES,
)
