"""Layer 7, agents: states that choose their actions by doctrines, period after period.

* :class:`~worldorder.agents.doctrine.Doctrine`: the base class of doctrines (registered in
  :data:`~worldorder.registry.DOCTRINES`; the built-in ones in :mod:`worldorder.agents.doctrines`);
* :class:`~worldorder.agents.observation.Observation`: what an agent sees before it chooses;
* :class:`~worldorder.agents.layer.AgentsLayer`: the engine layer that lets them choose, from a
  scenario's ``layers: {agents: ...}``.
"""

from worldorder.agents import doctrines as _builtin  # noqa: F401  (registers them)
from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.layer import AgentsConfig, AgentsLayer, AgentSpec, AgentsState
from worldorder.agents.observation import Observation, PastChoice

__all__ = ["AgentSpec", "AgentsConfig", "AgentsLayer", "AgentsState", "Choice", "Doctrine",
           "Observation", "PastChoice", "make_action", "register_doctrine"]
