"""The security layer: power and polarity, offshore balancing, alliances and burden-sharing.

Pure functions on arrays and DataFrames with their equations and references in the docstrings,
and small registered models (:data:`MODELS`: a name, a ``classifier``, ``references`` and
parameters with overridable defaults) that read the bundled panels of
:mod:`worldorder.data.panels`:

- :mod:`~worldorder.security.power`: CINC, GDP, military expenditure, Beckley's net power;
- :mod:`~worldorder.security.polarity`: HHI, effective number of poles, Ray–Singer CON,
  regional balances (:mod:`~worldorder.security.regions` holds the region table);
- :mod:`~worldorder.security.transition`: power-transition parity and dissatisfaction;
"""

from worldorder.security.model import MODELS, SecurityModel, get_model, models_table
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
from worldorder.security.regions import REGIONS, Region, resolve_region
from worldorder.security.transition import PowerTransition, first_overtaking, parity

__all__ = [
    "MODELS",
    "REGIONS",
    "CincIndex",
    "GdpIndex",
    "MilexIndex",
    "NetPowerIndex",
    "Polarity",
    "PowerIndex",
    "PowerTransition",
    "Region",
    "SecurityModel",
    "cinc_from_components",
    "effective_poles",
    "first_overtaking",
    "get_model",
    "hhi",
    "models_table",
    "net_power",
    "parity",
    "power_frame",
    "ray_singer_con",
    "regional_balance",
    "regional_balance_table",
    "resolve_region",
    "shares",
    "top_shares",
]
