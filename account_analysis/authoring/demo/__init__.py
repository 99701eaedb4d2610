"""A deterministic demo dataset: a fictional Dutch technical facility-services company.

:func:`write_demo_dataset` writes a complete dataset folder (every table of
:mod:`account_analysis.load.schema` plus ``account_plans/``) that plays the situation of the
source article: over the 24 months to 2026-09-30, four customer groups bring almost 40% of
revenue once their billing accounts are consolidated, three of them become Large Accounts.

The story in the data
---------------------
* 36 months of invoice lines (2023-10-01 .. 2026-09-30), about 120,000 of them, about
  1,200 billing accounts in about 700 customer groups; roughly EUR 50m revenue a year in the
  service lines Onderhoud, Installatie, Storingsdienst, Projecten and Advies.
* Four groups above 5% of the 24-month revenue (together about 39.5%):
  Zorggroep Vlietstreek (care, growing), Van Houten Logistiek Groep (logistics, declining, many
  complaints and escalations, we are only its 5th supplier), Polderland Bouwgroep
  (construction, one long project peaking mid-2025 so a 12-month window ranks it lower) and
  Stichting Onderwijs Brabant (education, summer peak). A near miss (Waterschap Lage Landen,
  3.5%) and two retail groups whose merger would cross 5%.
* Holdings two to three levels deep; an acquisition on 2025-06-01 (``parent_links``);
  invoices billed to head offices but ordered by units, some with ``ordering_unit``, the
  others fixed by ``attribution_rules`` (by billing account, service line, PO pattern and
  invoice id); a purchasing cooperative paying for a few small customers.
* Credit notes, cancelled invoices, open invoices in the last months, intercompany
  accounts, Belgian, German, British (GBP) and American (USD) customers with monthly rates.

All names of companies and people are invented. Money is generated as integer cents and
written from integers; the output is byte-for-byte the same for the same seed.

Where it lives
--------------
The story's names, texts and tables are data files in ``data/`` (YAML, each explaining
itself at its top): the company, its sales team, towns, sectors, names, the named groups,
the other customers, complaints, decisions, attribution rules, wallets and account plans.
The modules beside them are the generator: ``story`` reads the files, ``accounts``,
``customers`` and ``long_tail`` build the customer master, ``invoices`` simulates the
invoice lines, ``revenue`` calibrates them to the story's shares, ``tables`` and ``plans``
make what is written, ``writer`` writes it. Only the ``demo-data`` command (and the tests)
import this package; a period's run never does.
"""

from .writer import DEFAULT_SEED, write_demo_dataset

__all__ = ["DEFAULT_SEED", "write_demo_dataset"]
