"""Build the institutions tables: ``src/worldorder/datasets/organizations.csv`` (read by
``worldorder.data.organizations``: the scenario checks and the security layer) and
``src/worldorder/security/data/funding.csv``.

Writes two CSV files, each row with its source and confidence:

* ``organizations.csv``: organisations the order indices and the membership network know:
  code, name, kind (``global``, ``un-entity``, ``non-un``, ``regional``, ``alliance``), and the
  dated US exits of 2025-26 (notice and effective dates). The 66 organisations of the
  presidential memorandum of 7 January 2026 are listed by the memorandum's own section 2 (read
  in the copy of whitehouse.gov in the GitHub repository brian14708/wh-briefings,
  presidential-actions/2026-01/2026-01-07-withdrawing-the-united-states-from-international-
  organizations-...md): 35 non-UN organisations (section 2(a)) and 31 UN entities (2(b)).
* ``funding.csv``: the share of an organisation's budget paid by a member (assessed scale or
  share of total contributions), the basis and the period: the figures the budget-loss
  function uses. They are recalled from the cited publications and marked ``unverified``
  unless a copy was read.

Run from the project root: ``python data-raw/security-politics/build.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "src" / "worldorder" / "security" / "data"
ORGS = Path(__file__).resolve().parents[2] / "src" / "worldorder" / "datasets"

MEMO = ("White House, Presidential Memorandum 'Withdrawing the United States from "
        "International Organizations, Conventions, and Treaties that Are Contrary to the "
        "Interests of the United States', 7 January 2026, section 2 (copy: GitHub "
        "brian14708/wh-briefings)")
MEMO_CONF = "verified (read in a copy of the memorandum)"

#: section 2(a): non-UN organisations, in the memorandum's order.
NON_UN = [
    ("CFE-COMPACT", "24/7 Carbon-Free Energy Compact"),
    ("COLOMBO-PLAN", "Colombo Plan Council"),
    ("CEC", "Commission for Environmental Cooperation"),
    ("ECW", "Education Cannot Wait"),
    ("HYBRID-COE", "European Centre of Excellence for Countering Hybrid Threats"),
    ("FEHRL", "Forum of European National Highway Research Laboratories"),
    ("FOC", "Freedom Online Coalition"),
    ("GCERF", "Global Community Engagement and Resilience Fund"),
    ("GCTF", "Global Counterterrorism Forum"),
    ("GFCE", "Global Forum on Cyber Expertise"),
    ("GFMD", "Global Forum on Migration and Development"),
    ("IAI", "Inter-American Institute for Global Change Research"),
    ("IGF-MINING", "Intergovernmental Forum on Mining, Minerals, Metals, and Sustainable "
                   "Development"),
    ("IPCC", "Intergovernmental Panel on Climate Change"),
    ("IPBES", "Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem "
              "Services"),
    ("ICCROM", "International Centre for the Study of the Preservation and Restoration of "
               "Cultural Property"),
    ("ICAC", "International Cotton Advisory Committee"),
    ("IDLO", "International Development Law Organization"),
    ("IEF", "International Energy Forum"),
    ("IFACCA", "International Federation of Arts Councils and Culture Agencies"),
    ("IDEA", "International Institute for Democracy and Electoral Assistance"),
    ("IIJ", "International Institute for Justice and the Rule of Law"),
    ("ILZSG", "International Lead and Zinc Study Group"),
    ("IRENA", "International Renewable Energy Agency"),
    ("ISA", "International Solar Alliance"),
    ("ITTO", "International Tropical Timber Organization"),
    ("IUCN", "International Union for Conservation of Nature"),
    ("PAIGH", "Pan American Institute of Geography and History"),
    ("PAC", "Partnership for Atlantic Cooperation"),
    ("RECAAP", "Regional Cooperation Agreement on Combatting Piracy and Armed Robbery "
               "against Ships in Asia"),
    ("RCC", "Regional Cooperation Council"),
    ("REN21", "Renewable Energy Policy Network for the 21st Century"),
    ("STCU", "Science and Technology Center in Ukraine"),
    ("SPREP", "Secretariat of the Pacific Regional Environment Programme"),
    ("VENICE-COMM", "Venice Commission of the Council of Europe"),
]

#: section 2(b): UN entities, in the memorandum's order.
UN = [
    ("UN-DESA", "Department of Economic and Social Affairs"),
    ("UN-ECA", "ECOSOC - Economic Commission for Africa"),
    ("UN-ECLAC", "ECOSOC - Economic Commission for Latin America and the Caribbean"),
    ("UN-ESCAP", "ECOSOC - Economic and Social Commission for Asia and the Pacific"),
    ("UN-ESCWA", "ECOSOC - Economic and Social Commission for Western Asia"),
    ("UN-ILC", "International Law Commission"),
    ("UN-IRMCT", "International Residual Mechanism for Criminal Tribunals"),
    ("ITC", "International Trade Centre"),
    ("UN-OSAA", "Office of the Special Adviser on Africa"),
    ("UN-CAAC", "Office of the Special Representative of the Secretary General for "
                "Children in Armed Conflict"),
    ("UN-SVC", "Office of the Special Representative of the Secretary-General on Sexual "
               "Violence in Conflict"),
    ("UN-VAC", "Office of the Special Representative of the Secretary-General on Violence "
               "Against Children"),
    ("UN-PBC", "Peacebuilding Commission"),
    ("UN-PBF", "Peacebuilding Fund"),
    ("UN-PFPAD", "Permanent Forum on People of African Descent"),
    ("UNAOC", "UN Alliance of Civilizations"),
    ("UN-REDD", "UN Collaborative Programme on Reducing Emissions from Deforestation and "
                "Forest Degradation in Developing Countries"),
    ("UNCTAD", "UN Conference on Trade and Development"),
    ("UNDEF", "UN Democracy Fund"),
    ("UN-ENERGY", "UN Energy"),
    ("UN-WOMEN", "UN Entity for Gender Equality and the Empowerment of Women"),
    ("UNFCCC", "UN Framework Convention on Climate Change"),
    ("UN-HABITAT", "UN Human Settlements Programme"),
    ("UNITAR", "UN Institute for Training and Research"),
    ("UN-OCEANS", "UN Oceans"),
    ("UNFPA", "UN Population Fund"),
    ("UNROCA", "UN Register of Conventional Arms"),
    ("UN-CEB", "UN System Chief Executives Board for Coordination"),
    ("UNSSC", "UN System Staff College"),
    ("UN-WATER", "UN Water"),
    ("UNU", "UN University"),
]

EO = "White House, Executive Order"
#: Organisations of the dataset and the 2025 exits (notice, effective), as in us-2025.
OTHERS = [
    ("UN", "United Nations", "global", "", "", "", ""),
    ("WTO", "World Trade Organization", "global", "", "", "", ""),
    ("WHO", "World Health Organization", "global", "2025-01-20", "2026-01-22",
     f"{EO} 14155, 20 January 2025 (effective date one year after notice: unverified)",
     "verified (notice); effective date unverified"),
    ("PARIS", "Paris Agreement", "global", "2025-01-20", "2026-01-27",
     f"{EO} 14162, 20 January 2025; Paris Agreement art. 28 (effective date unverified)",
     "verified (notice); effective date unverified"),
    ("UNHRC", "UN Human Rights Council", "un-entity", "2025-02-04", "2025-02-04",
     f"{EO} 14199, 4 February 2025", "verified"),
    ("UNESCO", "UN Educational, Scientific and Cultural Organization", "global",
     "2025-07-22", "2026-12-31",
     "US State Department announcement of 22 July 2025 (wam.ae, tass.com, 22 July 2025)",
     "verified (press copies)"),
    ("ICC", "International Criminal Court", "global", "", "", "", ""),
    ("NATO", "North Atlantic Treaty Organization", "alliance", "", "", "", ""),
    ("G7", "Group of Seven", "club", "", "", "", ""),
    ("G20", "Group of Twenty", "club", "", "", "", ""),
    ("BRICS", "BRICS", "club", "", "", "", ""),
    ("SCO", "Shanghai Cooperation Organisation", "regional", "", "", "", ""),
    ("EU", "European Union", "regional", "", "", "", ""),
    ("ASEAN", "Association of Southeast Asian Nations", "regional", "", "", "", ""),
    ("USMCA", "United States-Mexico-Canada Agreement", "regional", "", "", "", ""),
    ("MERCOSUR", "Mercosur", "regional", "", "", "", ""),
    ("GCC", "Gulf Cooperation Council", "regional", "", "", "", ""),
    ("CPTPP", "Comprehensive and Progressive Agreement for Trans-Pacific Partnership",
     "regional", "", "", "", ""),
    ("RCEP", "Regional Comprehensive Economic Partnership", "regional", "", "", "", ""),
    ("OPEC", "Organization of the Petroleum Exporting Countries", "club", "", "", "", ""),
]

FUNDING_SRC_UN = ("UN General Assembly resolution 79/249 (scale of assessments 2025-2027): "
                  "the 22% ceiling paid by the United States")
FUNDING = [
    # organization, member, share, basis, period, source, confidence
    ("UN", "USA", 0.22, "assessed scale, regular budget", "2025-2027", FUNDING_SRC_UN,
     "unverified (recalled; the 22% ceiling is long-standing)"),
    ("WHO", "USA", 0.22, "assessed contributions (WHO applies the UN scale)", "2024-2025",
     "WHO, Programme budget 2024-2025, assessed contributions (UN scale, 22% ceiling)",
     "unverified (recalled)"),
    ("WHO", "USA", 0.16, "assessed + voluntary, share of all contributions", "2022-2023",
     "WHO, audited financial statements 2022-2023 (US about USD 1.28 bn of about USD 7.9 bn "
     "received)", "unverified (recalled)"),
    ("UNESCO", "USA", 0.08, "share of the total budget", "2025",
     "UNESCO Director-General, statement of 22 July 2025 (US contributions about 8% of the "
     "total budget)", "unverified (recalled)"),
    ("UNFCCC", "USA", 0.22, "indicative scale, core budget", "2024-2025",
     "UNFCCC, indicative scale of contributions (UN scale, 22% ceiling)",
     "unverified (recalled)"),
    ("UNHRC", "USA", 0.0, "no separate budget (funded from the UN regular budget)", "2025",
     "UN regular budget: the Council is a subsidiary organ of the General Assembly",
     "verified (stable fact)"),
    ("WTO", "USA", 0.11, "share of members' contributions (by share of world trade)", "2024",
     "WTO, budget 2024: members' contributions (US about 11%)", "unverified (recalled)"),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = [{"organization": c, "name": n, "kind": "non-un", "us_notice": "2026-01-07",
             "us_effective": "", "source": MEMO + " 2(a)", "confidence": MEMO_CONF}
            for c, n in NON_UN]
    rows += [{"organization": c, "name": n, "kind": "un-entity", "us_notice": "2026-01-07",
              "us_effective": "", "source": MEMO + " 2(b)", "confidence": MEMO_CONF}
             for c, n in UN]
    rows += [{"organization": c, "name": n, "kind": k, "us_notice": no, "us_effective": eff,
              "source": src or "dataset world-2024 memberships", "confidence": conf or
              "see the dataset"} for c, n, k, no, eff, src, conf in OTHERS]
    codes = [r["organization"] for r in rows]
    assert len(NON_UN) == 35 and len(UN) == 31 and len(set(codes)) == len(codes)
    with (ORGS / "organizations.csv").open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with (OUT / "funding.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["organization", "member", "share", "basis", "period", "source",
                    "confidence"])
        w.writerows(FUNDING)
    print(f"wrote {len(rows)} organisations ({len(NON_UN)} + {len(UN)} of the memorandum) "
          f"to {ORGS.name}/ and {len(FUNDING)} funding rows to {OUT.name}/")


if __name__ == "__main__":
    main()
