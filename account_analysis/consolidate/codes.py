"""The codes every cube engine shares: rule kinds in their order of precedence, the match
kinds and exclusion reasons a line can carry, and the open ends of a dated rule or link."""

from __future__ import annotations

import numpy as np

# A line is attributed by the first kind that matches it, in this order.
RULE_KINDS = ("invoice", "po", "service_line", "account")
# Why a line is on its unit: "" (it stays on its billing account), its ordering unit, or
# the kind of rule that moved it.
MATCH_CODES = ("", "ordering_unit", *RULE_KINDS)
# Why a line is left out of revenue ("" when it is not).
EXCLUSION_CODES = ("", "cancelled", "intercompany")
DAY_MIN = np.datetime64("0001-01-01", "D")
DAY_MAX = np.datetime64("9999-12-31", "D")
