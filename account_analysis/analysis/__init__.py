"""Analysis: the cube to facts. Concentration, share of wallet, designation, scenarios,
window sensitivity, territories, account-manager assignment and the period score. Pure:
no files, no words."""
