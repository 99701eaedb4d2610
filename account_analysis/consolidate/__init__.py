"""Consolidate: a Dataset to the reconciliation ledger and the monthly cube (group x unit x
month x service line). The only stage that touches invoice lines: attribution rules, FX
in exact fractions, exclusions, the cube cache, and the engines that compute it."""
