"""apibench inside agent frameworks: an episode as tools (:mod:`.session`), served over MCP
(:mod:`.mcp_server`), and adapters for Inspect AI, verifiers and OpenEnv.

Each framework is an optional extra (``pip install 'apibench[mcp]'`` and so on); the core
install imports none of them. Every adapter plays episodes through
:class:`~gym_apibench.integrations.session.ToolSession`, so worlds, faults, the step limit
and grading are exactly those of ``gym.make``.
"""

from gym_apibench.integrations.session import ToolResult, ToolSession

__all__ = ["ToolResult", "ToolSession"]
