"""The political side of the order: alignment, institutions and the rules-based order,
legitimacy, aid (and, by the security-data work, power, polarity, alliances and burdens)."""
