"""The security layers of the engine, registered on import (entry point
``worldorder.layers``): ``security`` (parameters, commitments), ``power``, ``order``, ``aid``,
``legitimacy`` and ``alignment``; and the actions ``security_params`` and ``commitment``."""

from worldorder.security.config import (
           Commitment,
           SecurityConfig,
           SecurityConfigLayer,
           SecurityParams,
)
from worldorder.security.layer_aid import AidLayer
from worldorder.security.layer_alignment import AlignmentLayer, AlignmentState
from worldorder.security.layer_legitimacy import LegitimacyLayer, LegitimacyState
from worldorder.security.layer_order import OrderLayer, OrderState
from worldorder.security.layer_power import PowerLayer, PowerState

__all__ = ["AidLayer", "AlignmentLayer", "AlignmentState", "Commitment", "LegitimacyLayer",
           "LegitimacyState", "OrderLayer", "OrderState", "PowerLayer", "PowerState",
           "SecurityConfig", "SecurityConfigLayer", "SecurityParams"]
