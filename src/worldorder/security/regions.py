"""The region table: which states are the local powers of each region.

Mearsheimer & Walt (2016) name three regions where a regional hegemon would threaten the US:
Europe, Northeast Asia and the Persian Gulf; South Asia is added as the fourth region of the
India–Pakistan (and China) balance. The members below are the region's states (ISO3 codes of the
bundled panels), large and small: a regional balance sums what every local state could bring.
Choices a reader may dispute, stated here so that they can be changed:

- Russia is in Europe *and* Northeast Asia (a Pacific power with most of its forces in the west;
  Mearsheimer 2001 counts it in both theatres). Its whole capability counts in each.
- Turkey and Ukraine are in Europe; Belarus and the Caucasus states are not.
- The US is never a local power: the question is whether the region balances *without* it.
- China is in Northeast Asia; it is not a South Asian state (India's other rival is therefore
  outside the South Asian balance; define a region with it to include it).
- Yemen is in the Gulf (the Arabian Peninsula); Egypt, Israel, Jordan and Syria are not.

A user defines a region as ``Region(name, members)`` or passes a list of ISO3 codes wherever a
region is expected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from worldorder.errors import SecurityModelError

__all__ = ["REGIONS", "Region", "resolve_region"]


@dataclass(frozen=True)
class Region:
    """A region: a name and its local states (ISO3), with a note on the choice."""

    name: str
    members: tuple[str, ...]
    note: str = ""

    def __post_init__(self) -> None:
        if not self.members:
            raise SecurityModelError(f"region {self.name!r} has no members")
        bad = [m for m in self.members if not (isinstance(m, str) and m.isupper())]
        if bad:
            raise SecurityModelError(f"region {self.name!r}: member {bad[0]!r} is not an ISO3 "
                                     "code")


EUROPE = (
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE", "GBR", "NOR", "CHE", "ISL", "ALB", "MKD", "MNE", "SRB", "BIH", "XKX", "MDA", "UKR",
    "TUR", "RUS",
)

REGIONS: dict[str, Region] = {
    "europe": Region("europe", EUROPE,
                     "EU 27, UK, EFTA, the Western Balkans, Moldova, Ukraine, Turkey and Russia "
                     "(Mearsheimer & Walt 2016: a key region)"),
    "northeast_asia": Region("northeast_asia", ("CHN", "JPN", "KOR", "PRK", "TWN", "MNG", "RUS"),
                             "China, Japan, the two Koreas, Taiwan, Mongolia and Russia "
                             "(Mearsheimer & Walt 2016: a key region)"),
    "gulf": Region("gulf", ("IRN", "IRQ", "SAU", "KWT", "ARE", "QAT", "BHR", "OMN", "YEM"),
                   "the Persian Gulf states and Yemen (Mearsheimer & Walt 2016: a key region)"),
    "south_asia": Region("south_asia", ("IND", "PAK", "BGD", "LKA", "NPL", "BTN", "MDV", "AFG"),
                         "the SAARC states"),
}


def resolve_region(region: str | Region | Iterable[str]) -> Region:
    """A :class:`Region` from a name of :data:`REGIONS`, a Region, or a list of ISO3 codes.

    Raises:
        SecurityModelError: An unknown region name (the message lists the regions).
    """
    if isinstance(region, Region):
        return region
    if isinstance(region, str):
        key = region.lower().replace("-", "_").replace(" ", "_")
        if key not in REGIONS:
            raise SecurityModelError(f"unknown region {region!r} (regions: "
                                     f"{', '.join(REGIONS)}; or pass a list of ISO3 codes)")
        return REGIONS[key]
    members = tuple(region)
    return Region("custom:" + "+".join(members), members, "user-defined")
