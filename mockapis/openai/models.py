"""``/v1/models``: the fixed catalogue of models the simulator answers as."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.responses import JSONResponse
from mockapis.openai.access import authorize
from mockapis.openai.errors import oai_error

__all__ = ["MODELS", "ROUTES", "check_model"]

MODELS: dict[str, int] = {
    "gpt-5": 1754425777,
    "gpt-5-mini": 1754425928,
    "gpt-5-nano": 1754426384,
    "gpt-4.1": 1744316542,
    "gpt-4.1-mini": 1744318173,
    "gpt-4.1-nano": 1744321707,
    "gpt-4o": 1715367049,
    "gpt-4o-mini": 1721172741,
    "o3": 1744225308,
    "o4-mini": 1744225351,
}
"""Model id -> ``created`` (every model runs the same deterministic simulator)."""


def _model(model_id: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": MODELS[model_id], "owned_by": "system"}


def check_model(model: str, message: str | None = None) -> None:
    """404 ``model_not_found`` for a model outside the catalogue."""
    if model not in MODELS:
        raise oai_error(
            404,
            message or f"The model `{model}` does not exist or you do not have access to it.",
            param="model",
            code="model_not_found",
        )


async def list_models(request: Request) -> Response:
    """Every model."""
    authorize(request)
    return JSONResponse({"object": "list", "data": [_model(m) for m in MODELS]})


async def retrieve_model(request: Request) -> Response:
    """One model."""
    authorize(request)
    model_id = request.path_params["model"]
    check_model(model_id, f"The model '{model_id}' does not exist")
    return JSONResponse(_model(model_id))


ROUTES = [
    Route("/v1/models", list_models, methods=["GET"]),
    Route("/v1/models/{model}", retrieve_model, methods=["GET"]),
]
