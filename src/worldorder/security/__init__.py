"""The security layer: power and polarity, offshore balancing, alliances and burden-sharing.

Pure functions on arrays and DataFrames with their equations and references in the docstrings,
and small registered models (:data:`MODELS`: a name, a ``classifier``, ``references`` and
parameters with overridable defaults) that read the bundled panels of
:mod:`worldorder.data.panels`:

- :mod:`~worldorder.security.power`: CINC, GDP, military expenditure, Beckley's net power;
- :mod:`~worldorder.security.polarity`: HHI, effective number of poles, Ray–Singer CON,
  regional balances (:mod:`~worldorder.security.regions` holds the region table);
- :mod:`~worldorder.security.transition`: power-transition parity and dissatisfaction;
- :mod:`~worldorder.security.offshore`: offshore balancing (Mearsheimer & Walt 2016);
- :mod:`~worldorder.security.public_good` (Olson–Zeckhauser),
  :mod:`~worldorder.security.joint_product` (Sandler & Hartley),
  :mod:`~worldorder.security.spatial` (George & Sandler's spatial demand, 2SLS) and
  :mod:`~worldorder.security.pledges` (pledge paths, coercive burden-sharing after Blankenship,
  the patron's saving): alliances and burden-sharing;
- :mod:`~worldorder.security.alignment` (US-China alignment, hedging, blocs),
  :mod:`~worldorder.security.institutions` (memberships, budget losses, Snidal's k-group, the
  rules-based-order indices), :mod:`~worldorder.security.legitimacy` (legitimacy and its price
  in bargaining), :mod:`~worldorder.security.aid` (aid cuts, democracy promotion) and the layer
  ``order`` (:mod:`~worldorder.security.order_layer`).
"""

from worldorder.security.aid import AidCutPricing, DemocracyExposure
from worldorder.security.alignment import Alignment
from worldorder.security.institutions import RulesBasedOrder, SnidalKGroup
from worldorder.security.joint_product import JointProduct, jp_best_response, jp_nash, jp_symmetric
from worldorder.security.legitimacy import Legitimacy
from worldorder.security.model import MODELS, SecurityModel, get_model, models_table
from worldorder.security.offshore import OffshoreBalancing, OffshoreBalancingLatent, implied_posture
from worldorder.security.pledges import (
    CoerciveBurdenSharing,
    PledgeCompliance,
    patron_saving,
    pledge_baseline,
    pledge_table,
)
from worldorder.security.polarity import (
    Polarity,
    effective_poles,
    hhi,
    ray_singer_con,
    regional_balance,
    regional_balance_table,
    top_shares,
)
from worldorder.security.power import (
    CincIndex,
    GdpIndex,
    MilexIndex,
    NetPowerIndex,
    PowerIndex,
    cinc_from_components,
    net_power,
    power_frame,
    shares,
)
from worldorder.security.public_good import OlsonZeckhauser, oz_best_response, oz_nash, oz_symmetric
from worldorder.security.regions import REGIONS, Region, resolve_region
from worldorder.security.spatial import (
    SpatialDemand,
    SpatialEstimate,
    estimate_spatial_panel,
    simulate_panel,
    spatial_fixed_point,
    steady_state,
)
from worldorder.security.transition import PowerTransition, first_overtaking, parity

__all__ = [
    "MODELS",
    "REGIONS",
    "AidCutPricing",
    "Alignment",
    "CincIndex",
    "CoerciveBurdenSharing",
    "DemocracyExposure",
    "GdpIndex",
    "JointProduct",
    "Legitimacy",
    "MilexIndex",
    "NetPowerIndex",
    "OffshoreBalancing",
    "OffshoreBalancingLatent",
    "OlsonZeckhauser",
    "PledgeCompliance",
    "Polarity",
    "PowerIndex",
    "PowerTransition",
    "Region",
    "RulesBasedOrder",
    "SecurityModel",
    "SnidalKGroup",
    "SpatialDemand",
    "SpatialEstimate",
    "cinc_from_components",
    "effective_poles",
    "estimate_spatial_panel",
    "first_overtaking",
    "get_model",
    "hhi",
    "implied_posture",
    "jp_best_response",
    "jp_nash",
    "jp_symmetric",
    "models_table",
    "net_power",
    "oz_best_response",
    "oz_nash",
    "oz_symmetric",
    "parity",
    "patron_saving",
    "pledge_baseline",
    "pledge_table",
    "power_frame",
    "ray_singer_con",
    "regional_balance",
    "regional_balance_table",
    "resolve_region",
    "shares",
    "simulate_panel",
    "spatial_fixed_point",
    "steady_state",
    "top_shares",
]
