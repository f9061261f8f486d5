"""More security layers, registered on import (entry point ``worldorder.layers``):
``security_models`` (the models' parameters, commitments, the panel years used),
``alliances`` (offshore balancing, pledge paths, the patron's saving, the alliance network),
``institutions`` (organisations' members and budgets, coercive measures), ``aid`` (aid cuts
priced by recipient) and ``alignment`` (positions between the US and China); and the actions
``security_params`` and ``commitment``. The ``security`` and ``order`` layers are in
:mod:`worldorder.security.layer` and :mod:`worldorder.security.order_layer`."""

from worldorder.security.config import (
    Commitment,
    SecurityModels,
    SecurityModelsLayer,
    SecurityParams,
)
from worldorder.security.layer_aid import AidLayer
from worldorder.security.layer_alignment import AlignmentLayer, AlignmentState
from worldorder.security.layer_order import InstitutionsLayer, InstitutionsState
from worldorder.security.layer_power import AlliancesLayer, AlliancesState

__all__ = ["AidLayer", "AlignmentLayer", "AlignmentState", "AlliancesLayer", "AlliancesState",
           "Commitment", "InstitutionsLayer", "InstitutionsState", "SecurityModels",
           "SecurityModelsLayer", "SecurityParams"]
