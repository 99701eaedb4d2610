"""The words of the period reports' sections in each language (``TEXT``): every word a reader
sees there; ``{…}`` fields are filled by :mod:`.sections`. Kept apart from the code, for the
one catalog per language that is to replace them.
"""

from __future__ import annotations

# The concentration and rationale sections.
_REPORTS = {
    "en": {
        # key figures
        "key_figures": "Key figures",
        "measure": "Measure",
        "value": "Value",
        "meaning": "What it means",
        "cr1": "CR1: share of the largest customer group",
        "crn": "CR{n}: share of the {n} largest customer groups",
        "hhi": "HHI (Herfindahl-Hirschman index, 0–10,000)",
        "hhi_meaning": "{band} (above {line}: highly concentrated)",
        "effective": "Effective number of customers",
        "effective_meaning": "{n} customer groups of equal size would give the same "
                             "concentration",
        "gini": "Gini coefficient",
        "gini_meaning": "0 = all groups equal; close to 1 = revenue in very few groups",
        "credit": "{n} customer groups with net credit over the window ({money}) are left out "
                  "of the shares.",
        "band:highly": "highly concentrated",
        "band:moderately": "moderately concentrated",
        "band:unconcentrated": "unconcentrated",
        # trend
        "trend": "Concentration over time",
        "period": "Period",
        "effective_short": "Effective number",
        "candidates": "Candidates",
        "candidates_share": "Candidates' share",
        "trend_up": "CR4 rose by {pp} points since {first}, from {a} to {b}.",
        "trend_down": "CR4 fell by {pp} points since {first}, from {a} to {b}.",
        "trend_flat": "CR4 is unchanged since {first} at {b}.",
        "trend_note": "Each period over its own trailing window of {months} months; "
                      "candidates bring at least {threshold} of revenue.",
        # risk
        "risk": "Revenue at risk",
        "scenario": "If they leave",
        "groups": "Customer groups",
        "at_risk": "Revenue at risk",
        "share_of_revenue": "Share of revenue",
        "hhi_after": "HHI after",
        "top1": "The largest group",
        "topn": "The {n} largest groups",
        "risk_sentence": "If {name} leaves, {money} ({pct}) of the revenue over the {span} "
                         "is at risk; if the {n} largest groups leave, {money3} ({pct3}).",
        "risk_hhi": "HHI now: {hhi}. The remaining customers take over the shares, so the HHI "
                    "after a loss is lower: the revenue is spread more evenly, but smaller.",
        "risk_none": "There is no revenue in the window, so nothing is at risk.",
        # mergers
        "mergers": "What if two customer groups merge?",
        "group_a": "Customer group",
        "group_b": "Merges with",
        "share_a": "Share",
        "share_b": "Share",
        "merged_share": "Merged share",
        "delta_hhi": "HHI rise",
        "flags": "Flag",
        "flag_significant": "HHI rise over {line}",
        "flag_crosses": "crosses the {threshold} threshold",
        "mergers_explain": "A merger of two groups with shares sᵢ and sⱼ (in percent) raises "
                           "the HHI by 2·sᵢ·sⱼ, e.g. 2 × {a} × {b} = {d}. The US 2023 merger "
                           "guidelines call a rise of more than {line} points significant.",
        "mergers_count": "{n} of the {total} pairs screened pass that line or create a new "
                         "candidate; the table shows those first, then the largest rises.",
        "mergers_none": "There are no pairs of customer groups to screen.",
        # sell wide vs deep
        "wide_deep": "Sell wide or sell deep?",
        "wd_sentence": "Growing by {target} ({growth} a year) takes {n} new customers of median "
                       "size ({median} a year), or {pp} more points of share of wallet at "
                       "{cands}, {headroom}",
        "wd_cands": "the {n} candidates",
        "wd_cands1": "the candidate",
        "wd_cands_part": "the {k} of {n} candidates with a known wallet",
        "wd_covers": "whose headroom ({money}) covers it.",
        "wd_short": "whose headroom ({money}) does not cover it.",
        "wd_headroom_unknown": "whose headroom is not known.",
        "wd_no_wallet": "Growing by {target} ({growth} a year) takes {n} new customers of "
                        "median size ({median} a year). No candidate's wallet is known, so "
                        "selling deep cannot be sized.",
        "wd_no_median": "no new customers can be sized (no customer has revenue)",
        "strategy": "Strategy",
        "takes": "What it takes",
        "basis": "Based on",
        "sell_wide": "Sell wide",
        "sell_deep": "Sell deep",
        "wd_new": "{n} new customers",
        "wd_median": "median customer: {median} a year",
        "wd_gain": "+{pp} points share of wallet",
        "wd_deep_basis": "share of wallet now {sow} of {wallet} a year; headroom {headroom}",
        "wd_annual": "Our revenue over the last 12 months: {money}.",
        # sensitivity
        "sensitivity": "How much does the window length matter?",
        "window_m": "{m} months",
        "window_ref": "{m} months (this report)",
        "share_rank": "{share} ({rank})",
        "sensitivity_note": "Share of revenue and rank of each group over windows of "
                            "different length, all ending {end}.",
        "spearman": "The rankings agree {how}: Spearman rank correlation {pairs} "
                    "(1 = the same order), over the {n} largest groups.",
        "spearman_pair": "{r} between {a} and {b} months",
        "agree_closely": "closely",
        "agree_fairly": "fairly well",
        "agree_poorly": "poorly",
        "same_candidates": "The candidate set is the same for {windows} windows.",
        "same_candidates_all": "all three",
        "enters": "Over {m} months {name} would be a candidate ({share}; {ref} over {r} "
                  "months).",
        "leaves": "Over {m} months {name} would not be a candidate ({share}; {ref} over {r} "
                  "months).",
        # candidates
        "candidates_title": "Large Account candidates",
        "candidates_intro": "{n} customer groups bring at least {threshold} of revenue.",
        "no_candidates": "No customer group brings {threshold} or more of revenue.",
        "rank": "Our rank as supplier",
        "revenue_share": "Revenue share",
        "sow": "Share of wallet",
        "headroom": "Headroom",
        "trend12": "Trend",
        "complaints": "Complaints / escalations",
        "candidates_note": "Trend: revenue of the last 12 months against the 12 before. "
                           "Complaints and escalations opened in the {months}-month window; "
                           "open: escalations still open at its end. Headroom: wallet minus "
                           "our revenue, a year.",
        "recommendation": "Advice",
        "decision": "Decision",
        "final": "Final",
        "decision_final": "Decision (final)",
        "rank_of": "{rank} of {n}",
        "unknown": "unknown",
        "est": "(est.)",
        "open": "open",
        "not_decided": "not decided",
        "differs_mark": " *",
        "differs_note": "* The decision differs from the advice; the reason is in the "
                        "rationale below.",
        "differs_here": "The decision differs from the advice.",
        "rec:designate": "designate",
        "rec:watch": "watch",
        "rec:decline": "decline",
        # rationale
        "rationale": "Rationale per candidate",
        "decided": "Decision: {decision}",
        "reason": "reason: {reason}",
        "by": "decided by {who}",
        "on": "on {date}",
        "manager": "Proposed account manager: {am}.",
        "no_decision": "No decision recorded yet; the recommendation is to {rec}.",
        # near misses
        "near_misses": "Near misses",
        "near_intro": "Customer groups with at least {low} but less than {threshold} of "
                      "revenue.",
        "near_none": "No customer group is close to the threshold (none brings {low} or more "
                     "without reaching {threshold}).",
        # changes
        "changes": "Changes since {previous}",
        "change": "Change",
        "share_now": "Share now",
        "share_before": "Share in {previous}",
        "change:entered": "new Large Account",
        "change:left": "no longer a Large Account",
        "change:kept": "stays a Large Account",
        "changes_none": "No changes since {previous}.",
        "changes_kept": "No changes since {previous}: the Large Accounts are {names}.",
        "changes_summary": "Since {previous}: {entered} entered, {left} left, {kept} kept.",
        "not_assessed": "below threshold",
        # wallet note
        "wallet_note": "Where the wallet figures come from",
        "wallet_intro": "Share of wallet is our annual revenue divided by what the customer "
                        "spends in total on our kind of service (its wallet).",
        "wallet_estimated": "Estimated, marked (est.) in the tables:",
        "wallet_stated": "Known from the customer:",
        "wallet_unknown": "No wallet known:",
        "wallet_none_estimated": "No wallet is estimated: all shown wallets come from the "
                                 "customer.",
        "wallet_war": "The Wallet Allocation Rule estimates our share from our rank among the "
                      "customer's suppliers: first of three gets about half, and so on.",
    },
    "nl": {
        "key_figures": "Kerncijfers",
        "measure": "Kengetal",
        "value": "Waarde",
        "meaning": "Betekenis",
        "cr1": "CR1: aandeel van de grootste klantgroep",
        "crn": "CR{n}: aandeel van de {n} grootste klantgroepen",
        "hhi": "HHI (Herfindahl-Hirschman-index, 0–10.000)",
        "hhi_meaning": "{band} (boven {line}: sterk geconcentreerd)",
        "effective": "Effectief aantal klanten",
        "effective_meaning": "{n} even grote klantgroepen zouden dezelfde concentratie geven",
        "gini": "Gini-coëfficiënt",
        "gini_meaning": "0 = alle groepen even groot; bijna 1 = omzet bij zeer weinig groepen",
        "credit": "{n} klantgroepen met per saldo een creditering in het venster ({money}) "
                  "tellen niet mee in de aandelen.",
        "band:highly": "sterk geconcentreerd",
        "band:moderately": "matig geconcentreerd",
        "band:unconcentrated": "niet geconcentreerd",
        "trend": "Concentratie door de tijd",
        "period": "Periode",
        "effective_short": "Effectief aantal",
        "candidates": "Kandidaten",
        "candidates_share": "Aandeel kandidaten",
        "trend_up": "CR4 steeg {pp} procentpunt sinds {first}, van {a} naar {b}.",
        "trend_down": "CR4 daalde {pp} procentpunt sinds {first}, van {a} naar {b}.",
        "trend_flat": "CR4 is sinds {first} gelijk gebleven op {b}.",
        "trend_note": "Elke periode over haar eigen venster van {months} maanden; kandidaten "
                      "brengen minstens {threshold} van de omzet.",
        "risk": "Omzet in gevaar",
        "scenario": "Als zij vertrekken",
        "groups": "Klantgroepen",
        "at_risk": "Omzet in gevaar",
        "share_of_revenue": "Aandeel in de omzet",
        "hhi_after": "HHI daarna",
        "top1": "De grootste groep",
        "topn": "De {n} grootste groepen",
        "risk_sentence": "Als {name} vertrekt, staat {money} ({pct}) van de omzet in de {span} "
                         "op het spel; als de {n} grootste groepen vertrekken {money3} "
                         "({pct3}).",
        "risk_hhi": "HHI nu: {hhi}. De overige klanten nemen de aandelen over, dus na een "
                    "verlies is de HHI lager: de omzet is gelijker verdeeld, maar kleiner.",
        "risk_none": "Er is geen omzet in het venster, dus er staat niets op het spel.",
        "mergers": "Wat als twee klantgroepen fuseren?",
        "group_a": "Klantgroep",
        "group_b": "Fuseert met",
        "share_a": "Aandeel",
        "share_b": "Aandeel",
        "merged_share": "Samen",
        "delta_hhi": "Stijging HHI",
        "flags": "Signaal",
        "flag_significant": "HHI-stijging boven {line}",
        "flag_crosses": "komt boven de drempel van {threshold}",
        "mergers_explain": "Een fusie van twee groepen met aandelen sᵢ en sⱼ (in procenten) "
                           "verhoogt de HHI met 2·sᵢ·sⱼ, bijvoorbeeld 2 × {a} × {b} = {d}. De "
                           "Amerikaanse fusierichtlijnen van 2023 noemen een stijging van meer "
                           "dan {line} punten significant.",
        "mergers_count": "{n} van de {total} onderzochte paren komen over die grens of vormen "
                         "een nieuwe kandidaat; de tabel toont die eerst, daarna de grootste "
                         "stijgingen.",
        "mergers_none": "Er zijn geen paren klantgroepen om te onderzoeken.",
        "wide_deep": "Breed of diep verkopen?",
        "wd_sentence": "Groeien met {target} ({growth} per jaar) vraagt {n} nieuwe klanten van "
                       "mediane omvang ({median} per jaar), of {pp} procentpunt meer share of "
                       "wallet bij {cands}, {headroom}",
        "wd_cands": "de {n} kandidaten",
        "wd_cands1": "de kandidaat",
        "wd_cands_part": "de {k} van {n} kandidaten met een bekende wallet",
        "wd_covers": "wier ruimte in de wallet ({money}) dat dekt.",
        "wd_short": "wier ruimte in de wallet ({money}) dat niet dekt.",
        "wd_headroom_unknown": "wier ruimte in de wallet niet bekend is.",
        "wd_no_wallet": "Groeien met {target} ({growth} per jaar) vraagt {n} nieuwe klanten "
                        "van mediane omvang ({median} per jaar). Van geen enkele kandidaat is "
                        "de wallet bekend, dus diep verkopen is niet te becijferen.",
        "wd_no_median": "geen nieuwe klanten te becijferen (geen klant heeft omzet)",
        "strategy": "Strategie",
        "takes": "Wat het vraagt",
        "basis": "Gebaseerd op",
        "sell_wide": "Breed verkopen",
        "sell_deep": "Diep verkopen",
        "wd_new": "{n} nieuwe klanten",
        "wd_median": "mediane klant: {median} per jaar",
        "wd_gain": "+{pp} procentpunt share of wallet",
        "wd_deep_basis": "share of wallet nu {sow} van {wallet} per jaar; ruimte {headroom}",
        "wd_annual": "Onze omzet in de laatste 12 maanden: {money}.",
        "sensitivity": "Hoeveel maakt de lengte van het venster uit?",
        "window_m": "{m} maanden",
        "window_ref": "{m} maanden (dit rapport)",
        "share_rank": "{share} ({rank})",
        "sensitivity_note": "Omzetaandeel en rang van elke groep over vensters van "
                            "verschillende lengte, alle tot en met {end}.",
        "spearman": "De rangordes komen {how} overeen: Spearman-rangcorrelatie {pairs} "
                    "(1 = dezelfde volgorde), over de {n} grootste groepen.",
        "spearman_pair": "{r} tussen {a} en {b} maanden",
        "agree_closely": "sterk",
        "agree_fairly": "redelijk",
        "agree_poorly": "slecht",
        "same_candidates": "De kandidaten zijn dezelfde voor {windows} vensters.",
        "same_candidates_all": "alle drie",
        "enters": "Over {m} maanden zou {name} kandidaat zijn ({share}; {ref} over {r} "
                  "maanden).",
        "leaves": "Over {m} maanden zou {name} geen kandidaat zijn ({share}; {ref} over {r} "
                  "maanden).",
        "candidates_title": "Kandidaten voor Large Account",
        "candidates_intro": "{n} klantgroepen brengen minstens {threshold} van de omzet.",
        "no_candidates": "Geen klantgroep brengt {threshold} of meer van de omzet.",
        "rank": "Onze rang als leverancier",
        "revenue_share": "Omzetaandeel",
        "sow": "Share of wallet",
        "headroom": "Ruimte",
        "trend12": "Trend",
        "complaints": "Klachten / escalaties",
        "candidates_note": "Trend: omzet van de laatste 12 maanden tegenover de 12 daarvoor. "
                           "Klachten en escalaties geopend in het venster van {months} "
                           "maanden; open: escalaties die aan het eind nog open stonden. "
                           "Ruimte in de wallet: wallet min onze omzet, per jaar.",
        "recommendation": "Advies",
        "decision": "Besluit",
        "final": "Definitief",
        "decision_final": "Besluit (definitief)",
        "rank_of": "{rank} van {n}",
        "unknown": "onbekend",
        "est": "(geschat)",
        "open": "open",
        "not_decided": "geen besluit",
        "differs_mark": " *",
        "differs_note": "* Het besluit wijkt af van het advies; de reden staat in de "
                        "onderbouwing hieronder.",
        "differs_here": "Het besluit wijkt af van het advies.",
        "rec:designate": "aanwijzen",
        "rec:watch": "volgen",
        "rec:decline": "afwijzen",
        "rationale": "Onderbouwing per kandidaat",
        "decided": "Besluit: {decision}",
        "reason": "reden: {reason}",
        "by": "besloten door {who}",
        "on": "op {date}",
        "manager": "Voorgestelde accountmanager: {am}.",
        "no_decision": "Nog geen besluit vastgelegd; het advies is {rec}.",
        "near_misses": "Net onder de drempel",
        "near_intro": "Klantgroepen met minstens {low} maar minder dan {threshold} van de "
                      "omzet.",
        "near_none": "Geen klantgroep zit dicht bij de drempel (geen enkele brengt {low} of "
                     "meer zonder {threshold} te halen).",
        "changes": "Wijzigingen sinds {previous}",
        "change": "Wijziging",
        "share_now": "Aandeel nu",
        "share_before": "Aandeel in {previous}",
        "change:entered": "nieuw Large Account",
        "change:left": "geen Large Account meer",
        "change:kept": "blijft Large Account",
        "changes_none": "Geen wijzigingen sinds {previous}.",
        "changes_kept": "Geen wijzigingen sinds {previous}: de Large Accounts zijn {names}.",
        "changes_summary": "Sinds {previous}: {entered} erbij, {left} eraf, {kept} gebleven.",
        "not_assessed": "onder de drempel",
        "wallet_note": "Waar de walletcijfers vandaan komen",
        "wallet_intro": "Share of wallet is onze jaaromzet gedeeld door wat de klant in totaal "
                        "uitgeeft aan onze soort dienstverlening (de wallet).",
        "wallet_estimated": "Geschat, in de tabellen gemarkeerd met (geschat):",
        "wallet_stated": "Bekend van de klant:",
        "wallet_unknown": "Geen wallet bekend:",
        "wallet_none_estimated": "Geen enkele wallet is geschat: alle getoonde wallets komen "
                                 "van de klant.",
        "wallet_war": "De Wallet Allocation Rule schat ons aandeel uit onze rang onder de "
                      "leveranciers van de klant: de eerste van drie krijgt ongeveer de helft, "
                      "enzovoort.",
    },
}

# The account manager and territory sections.
_PEOPLE = {
    "en": {
        "am_title": "Account managers for the Large Accounts",
        "am_none": "There are no Large Accounts this period, so no account managers to "
                   "propose.",
        "am_intro": "Each account manager is scored for each Large Account on track record "
                    "(the share of the group's revenue over the {span} they handled), "
                    "complaints per €1m on their accounts and a stated wish for a new "
                    "challenge. Proposed is the assignment with the highest total score "
                    "within each manager's capacity; a decision fixes the manager.",
        "am_large": "Large Account",
        "am_manager": "Account manager",
        "am_score": "Score",
        "am_basis": "Basis",
        "am_why": "Why",
        "src:decision": "decision",
        "src:proposal": "proposal",
        "src:unassigned": "not assigned",
        "am_differs": "decision (proposal: {name})",
        "am_differs_note": "Where a decision names another account manager than the proposal, "
                           "both are shown; the decision stands.",
        "am_over": "{name} is fixed by decision beyond their capacity of {cap}.",
        "am_unassigned": "{n} Large Account(s) have no account manager: every manager's "
                         "capacity is used. Raise a capacity or decide an account manager.",
        "am_capacity": "Capacity used",
        "am_cap": "Capacity",
        "am_used": "Large Accounts",
        "am_free": "Free",
        "am_formula": "Score = 100 × share of the group's revenue handled + 10 for a wish for "
                      "a new challenge − 5 × complaints per €1m (a manager without revenue in "
                      "the window counts the average rate).",
        # territories
        "ter_title": "Territories for the other customers",
        "ter_intro": "Customers that are not Large Accounts stay in their postcode territory. "
                     "Each ordering unit is placed by the four digits of its postcode: "
                     "{n} units with {money} ({pct}) of the revenue over the {span}.",
        "ter_rest": "The {n} units of the Large Accounts ({money}) left their territories; "
                    "{m} units ({money_m}) match no territory.",
        "ter_rest_none": "No units left for a Large Account; {m} units ({money_m}) match no "
                         "territory.",
        "ter_territory": "Territory",
        "ter_postcodes": "Postcodes",
        "ter_manager": "Account manager",
        "ter_customers": "Units",
        "ter_revenue": "Revenue",
        "ter_share": "Share",
        "ter_left_title": "Left their territory for a Large Account",
        "ter_left": "Territory left",
        "ter_no_territory": "no territory",
        "ter_unmatched_title": "In no territory",
        "ter_unmatched_none": "Every unit outside the Large Accounts is in a territory.",
        "ter_customer": "Customer",
        "ter_postcode": "Postcode",
        "ter_reason": "Why",
        "ter_more": "And {n} more units with {money} together.",
        "why:no_postcode": "no postcode",
        "why:invalid_postcode": "not a Dutch postcode",
        "why:abroad": "abroad",
        "why:no_range": "postcode in no range",
        "ter_gap": "Postcodes {ranges} are in no territory.",
    },
    "nl": {
        "am_title": "Accountmanagers voor de Large Accounts",
        "am_none": "Er zijn deze periode geen Large Accounts, dus ook geen accountmanagers om "
                   "voor te stellen.",
        "am_intro": "Elke accountmanager krijgt per Large Account een score op trackrecord "
                    "(het deel van de omzet van de groep over de {span} dat hij of zij "
                    "behandelde), klachten per € 1 mln op de eigen klanten en de uitgesproken "
                    "wens voor een nieuwe uitdaging. Voorgesteld wordt de toewijzing met de "
                    "hoogste totale score binnen ieders capaciteit; een besluit legt de "
                    "accountmanager vast.",
        "am_large": "Large Account",
        "am_manager": "Accountmanager",
        "am_score": "Score",
        "am_basis": "Grond",
        "am_why": "Waarom",
        "src:decision": "besluit",
        "src:proposal": "voorstel",
        "src:unassigned": "niet toegewezen",
        "am_differs": "besluit (voorstel: {name})",
        "am_differs_note": "Waar een besluit een andere accountmanager noemt dan het voorstel, "
                           "staan beide er; het besluit geldt.",
        "am_over": "{name} is bij besluit toegewezen boven de capaciteit van {cap}.",
        "am_unassigned": "{n} Large Account(s) hebben geen accountmanager: ieders capaciteit "
                         "is benut. Verhoog een capaciteit of leg een accountmanager vast.",
        "am_capacity": "Benutte capaciteit",
        "am_cap": "Capaciteit",
        "am_used": "Large Accounts",
        "am_free": "Vrij",
        "am_formula": "Score = 100 × deel van de omzet van de groep dat behandeld werd + 10 "
                      "voor de wens voor een nieuwe uitdaging − 5 × klachten per € 1 mln (wie "
                      "geen omzet had in het venster, telt het gemiddelde).",
        "ter_title": "Rayons voor de overige klanten",
        "ter_intro": "Klanten die geen Large Account zijn, blijven in hun postcoderayon. Elke "
                     "bestellende eenheid valt in het rayon van de vier cijfers van haar "
                     "postcode: {n} eenheden met {money} ({pct}) van de omzet over de {span}.",
        "ter_rest": "De {n} eenheden van de Large Accounts ({money}) verlieten hun rayon; "
                    "{m} eenheden ({money_m}) vallen in geen rayon.",
        "ter_rest_none": "Geen eenheden vertrokken naar een Large Account; {m} eenheden "
                         "({money_m}) vallen in geen rayon.",
        "ter_territory": "Rayon",
        "ter_postcodes": "Postcodes",
        "ter_manager": "Accountmanager",
        "ter_customers": "Eenheden",
        "ter_revenue": "Omzet",
        "ter_share": "Aandeel",
        "ter_left_title": "Uit hun rayon naar een Large Account",
        "ter_left": "Verlaten rayon",
        "ter_no_territory": "geen rayon",
        "ter_unmatched_title": "In geen rayon",
        "ter_unmatched_none": "Elke eenheid buiten de Large Accounts valt in een rayon.",
        "ter_customer": "Klant",
        "ter_postcode": "Postcode",
        "ter_reason": "Waarom",
        "ter_more": "En nog {n} eenheden met samen {money}.",
        "why:no_postcode": "geen postcode",
        "why:invalid_postcode": "geen Nederlandse postcode",
        "why:abroad": "buitenland",
        "why:no_range": "postcode in geen rayon",
        "ter_gap": "Postcodes {ranges} vallen in geen rayon.",
    },
}

TEXT = {language: {**_REPORTS[language], **_PEOPLE[language]} for language in _REPORTS}
