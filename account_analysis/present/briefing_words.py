"""The words of the briefing in each language (``TEXT``), and the objective statuses as plans
write them, in the reader's language (``STATUS_WORDS``). Kept apart from the code that uses
them (:mod:`.briefing`), for the one catalog per language that is to replace them.
"""

from __future__ import annotations

TEXT = {
    "en": {
        "subtitle": "Period {period} · account manager: {manager}",
        "no_manager": "not assigned yet",
        "who": "Who the group is",
        "who_sentence": "{name} ({group}) is one customer group of {n} units as of {end}. "
                        "Consolidated revenue over the {span}: {money}, {share} of our total "
                        "revenue.",
        "decision": "This period's decision: {reason}",
        "manager_line": "Account manager: {name} ({email}).",
        "manager_none": "No account manager is assigned to this group yet.",
        "unit": "Unit",
        "units_title": "Units and subsidiaries",
        "account": "Account",
        "postcode": "Postcode",
        "unit_revenue": "Revenue ({months} months)",
        "units_below": "Units below",
        "units_note": "Units as of {end}; revenue of each unit itself over the window. Units "
                      "without revenue in the window are listed too.",
        "units_collapsed": "The group has {n} units; shown are the top and its direct "
                           "subsidiaries, each with the revenue of everything below it.",
        "revenue": "Revenue over the last {months} months",
        "revenue_sentence": "Last 12 months: {last}, {change} against the 12 months before "
                            "({prior}).",
        "revenue_no_prior": "Last 12 months: {last}; no revenue in the 12 months before.",
        "quarter": "Quarter",
        "total": "Total",
        "revenue_note": "Revenue by the quarter it was invoiced in, by service line, in whole "
                        "{currency}.",
        "wallet": "Share of wallet and competitors",
        "wallet_known": "The group spends about {wallet} a year on our kind of service. "
                        "Our last 12 months ({annual}) are {sow} of that: {headroom} of "
                        "headroom a year.",
        "wallet_source": "Wallet figure: {method}.",
        "wallet_unknown": "The group's wallet (its annual spend on our kind of service) is "
                          "not known.",
        "rank_line": "We are its {rank} supplier of {n}.",
        "rank_unknown": "Our rank among its suppliers is not known.",
        "supplier": "Supplier",
        "est_share": "Estimated share of wallet",
        "us": "Us",
        "competitors_none": "No competitors are recorded for this group.",
        "competitors_note": "Our share is measured; the competitors' shares are estimates "
                            "from the account plan.",
        "complaints": "Complaints and escalations",
        "complaints_sentence": "Over the {span}: {c} and {e}. Open at the end of the "
                               "period: {open}.",
        "n:complaint": ("complaint", "complaints"),
        "n:escalation": ("escalation", "escalations"),
        "complaints_none": "No complaints or escalations over the {span}.",
        "recent": "The most recent ones:",
        "opened": "Opened",
        "kind": "Kind",
        "severity": "Severity",
        "status": "Status",
        "subject": "Subject",
        "kind:complaint": "complaint",
        "kind:escalation": "escalation",
        "severity:low": "low",
        "severity:medium": "medium",
        "severity:high": "high",
        "status:open": "open",
        "status:closed": "closed",
        "status:open_then": "open at period end",
        "stakeholders": "Stakeholders",
        "name": "Name",
        "role": "Role",
        "counterpart": "Our counterpart",
        "owner": "Relationship owner",
        "stance": "Stance",
        "stance:supporter": "supporter",
        "stance:neutral": "neutral",
        "stance:critical": "critical",
        "stance:opponent": "opponent",
        "stance:unknown": "unknown",
        "stakeholders_none": "The account plan names no stakeholders.",
        "meetings": "Executive meetings",
        "meeting_date": "Date",
        "who_ours": "Who (our side)",
        "their_counterpart": "Their counterpart",
        "meetings_none": "No executive meetings are recorded in the account plan.",
        "upcoming": "upcoming",
        "objectives": "Objectives",
        "objective": "Objective",
        "target": "Target (measure)",
        "due": "Due",
        "status_now": "Status {period}",
        "not_reported": "not reported",
        "reported_then": "{status} (in {period})",
        "objectives_none": "The account plan sets no objectives.",
        "benefits": "What's in it for the customer?",
        "benefits_intro": "What being one of our Large Accounts brings the customer, for when "
                          "they ask \"what's in it for me?\":",
        "benefits_none": "The account plan lists no benefits yet.",
        "discount_q": "\"Do we now get more discount?\"",
        "discount_plan": "The account plan puts it as: \"{text}\"",
        "discount_default": "No. Being a Large Account does not lower our prices. What it "
                            "brings is a lower total cost: one account manager who knows "
                            "the whole organisation, planning bundled across all locations, "
                            "fewer failures and faster response, agreed in a framework "
                            "agreement and reported every quarter.",
        "talking_points": "Talking points",
        "tp_up": "Revenue is growing: {last} over the last 12 months, {pct} more than the 12 "
                 "months before ({prior}). Ask what drives it and whether it continues.",
        "tp_down": "Revenue is falling: {last} over the last 12 months, {pct} less than the 12 "
                   "months before ({prior}). Find out why before the customer brings it up.",
        "tp_flat": "Revenue is level: {last} over the last 12 months against {prior} the 12 "
                   "months before.",
        "tp_new_customer": "Revenue over the last 12 months: {last}; nothing in the 12 months "
                           "before.",
        "tp_mix_up": "{line} grew from {a} to {b} of our revenue with the group.",
        "tp_mix_down": "{line} fell from {a} to {b} of our revenue with the group.",
        "tp_mix_new": "New this year: {line} ({money} over the last 12 months).",
        "tp_mix_lost": "{line} stopped: {money} in the 12 months before, nothing since.",
        "tp_headroom": "We have {sow} of the group's wallet ({rank}); {headroom} a year is "
                       "spent with others. That is the room to grow.",
        "tp_top3": "We are its {rank} supplier of {n}: the ambition is the top 3.",
        "tp_wallet_unknown": "The group's wallet is not known: ask what it spends a year on "
                             "our kind of service, and with whom.",
        "tp_open": "{n} still open at the end of the period; the most serious is the "
                   "{kind} \"{subject}\" ({severity}, since {date}). Have an answer ready.",
        "tp_open_one": "Still open at the end of the period: the {kind} \"{subject}\" "
                       "({severity}, since {date}). Have an answer ready.",
        "n:open": ("complaint or escalation", "complaints and escalations"),
        "tp_no_open": "No complaint or escalation was open at the end of the period "
                      "({c} and {e} over the window, all closed).",
        "tp_no_complaints": "No complaints or escalations over the window.",
        "tp_at_risk": "Objective at risk: \"{text}\" ({status}, due {due}).",
        "tp_unreported": "No status reported for {period} on the objective \"{text}\" (due "
                         "{due}): ask its owner before the visit.",
        "tp_overdue": "Objective past its due date: \"{text}\" (due {due}, {status}).",
        "tp_objectives_ok": "All {n} objectives are on track.",
        "tp_objective_ok": "The objective is on track: \"{text}\".",
        "tp_objectives_ok2": "Both objectives are on track.",
        "tp_meeting": "Next executive meeting: {date}, {who} with {counterpart}.",
        "tp_no_meeting": "No executive meeting is planned after this period: plan one.",
        "tp_no_plan": "There is no account plan for this group yet: create it with "
                      "{command} before the visit.",
        "plan_missing_short": "This comes from the account plan, which this group does not "
                              "have yet.",
        "plan_missing": "There is no account plan for this group yet, so stakeholders, "
                        "objectives, executive meetings and benefits are missing here. Create "
                        "it with {command}, fill it in and render the briefing again.",
        "sow_rank": "{rank} supplier of {n}",
        "rank_unknown_short": "rank unknown",
    },
    "nl": {
        "subtitle": "Periode {period} · accountmanager: {manager}",
        "no_manager": "nog niet toegewezen",
        "who": "Wie de klant is",
        "who_sentence": "{name} ({group}) is één klantgroep van {n} eenheden per {end}. "
                        "Geconsolideerde omzet in de {span}: {money}, {share} van onze totale "
                        "omzet.",
        "decision": "Besluit van deze periode: {reason}",
        "manager_line": "Accountmanager: {name} ({email}).",
        "manager_none": "Aan deze groep is nog geen accountmanager toegewezen.",
        "unit": "Eenheid",
        "units_title": "Eenheden en dochters",
        "account": "Account",
        "postcode": "Postcode",
        "unit_revenue": "Omzet ({months} maanden)",
        "units_below": "Eenheden eronder",
        "units_note": "Eenheden per {end}; omzet van elke eenheid zelf in het venster. "
                      "Eenheden zonder omzet in het venster staan er ook in.",
        "units_collapsed": "De groep heeft {n} eenheden; getoond zijn de top en haar directe "
                           "dochters, elk met de omzet van alles wat eronder valt.",
        "revenue": "Omzet in de laatste {months} maanden",
        "revenue_sentence": "Laatste 12 maanden: {last}, {change} ten opzichte van de 12 "
                            "maanden daarvoor ({prior}).",
        "revenue_no_prior": "Laatste 12 maanden: {last}; geen omzet in de 12 maanden daarvoor.",
        "quarter": "Kwartaal",
        "total": "Totaal",
        "revenue_note": "Omzet naar het kwartaal waarin gefactureerd is, per dienst, in hele "
                        "{currency}.",
        "wallet": "Share of wallet en concurrenten",
        "wallet_known": "De groep besteedt ongeveer {wallet} per jaar aan onze soort "
                        "dienstverlening. Onze laatste 12 maanden ({annual}) zijn daarvan "
                        "{sow}: {headroom} ruimte per jaar.",
        "wallet_source": "Walletcijfer: {method}.",
        "wallet_unknown": "De wallet van de groep (wat zij per jaar besteedt aan onze soort "
                          "dienstverlening) is niet bekend.",
        "rank_line": "Wij zijn haar {rank} leverancier van {n}.",
        "rank_unknown": "Onze rang onder haar leveranciers is niet bekend.",
        "supplier": "Leverancier",
        "est_share": "Geschat aandeel in de wallet",
        "us": "Wij",
        "competitors_none": "Voor deze groep zijn geen concurrenten vastgelegd.",
        "competitors_note": "Ons aandeel is gemeten; de aandelen van de concurrenten zijn "
                            "schattingen uit het accountplan.",
        "complaints": "Klachten en escalaties",
        "complaints_sentence": "In de {span}: {c} en {e}. Open aan het eind van de "
                               "periode: {open}.",
        "n:complaint": ("klacht", "klachten"),
        "n:escalation": ("escalatie", "escalaties"),
        "complaints_none": "Geen klachten of escalaties in de {span}.",
        "recent": "De meest recente:",
        "opened": "Geopend",
        "kind": "Soort",
        "severity": "Ernst",
        "status": "Status",
        "subject": "Onderwerp",
        "kind:complaint": "klacht",
        "kind:escalation": "escalatie",
        "severity:low": "laag",
        "severity:medium": "middel",
        "severity:high": "hoog",
        "status:open": "open",
        "status:closed": "gesloten",
        "status:open_then": "open aan eind periode",
        "stakeholders": "Belanghebbenden",
        "name": "Naam",
        "role": "Rol",
        "counterpart": "Onze gesprekspartner",
        "owner": "Eigenaar relatie",
        "stance": "Houding",
        "stance:supporter": "voorstander",
        "stance:neutral": "neutraal",
        "stance:critical": "kritisch",
        "stance:opponent": "tegenstander",
        "stance:unknown": "onbekend",
        "stakeholders_none": "Het accountplan noemt geen belanghebbenden.",
        "meetings": "Directieoverleg",
        "meeting_date": "Datum",
        "who_ours": "Wie (onze kant)",
        "their_counterpart": "Hun gesprekspartner",
        "meetings_none": "Het accountplan bevat geen directieoverleggen.",
        "upcoming": "gepland",
        "objectives": "Doelen",
        "objective": "Doel",
        "target": "Streefwaarde (maatstaf)",
        "due": "Uiterlijk",
        "status_now": "Status {period}",
        "not_reported": "niet gerapporteerd",
        "reported_then": "{status} (in {period})",
        "objectives_none": "Het accountplan stelt geen doelen.",
        "benefits": "Wat heeft de klant eraan?",
        "benefits_intro": "Wat het de klant oplevert een van onze Large Accounts te zijn, voor "
                          "als de vraag komt \"wat heb ik eraan?\":",
        "benefits_none": "Het accountplan noemt nog geen voordelen.",
        "discount_q": "\"Krijgen we nu meer korting?\"",
        "discount_plan": "Het accountplan zegt het zo: \"{text}\"",
        "discount_default": "Nee. Large Account zijn verlaagt onze prijzen niet. Wat het "
                            "oplevert zijn lagere totale kosten: één accountmanager die de hele "
                            "organisatie kent, gebundelde planning over alle locaties, minder "
                            "storingen en snellere reactie, vastgelegd in een raamovereenkomst "
                            "en elk kwartaal gerapporteerd.",
        "talking_points": "Gesprekspunten",
        "tp_up": "De omzet groeit: {last} in de laatste 12 maanden, {pct} meer dan de 12 "
                 "maanden daarvoor ({prior}). Vraag wat daarachter zit en of het doorzet.",
        "tp_down": "De omzet daalt: {last} in de laatste 12 maanden, {pct} minder dan de 12 "
                   "maanden daarvoor ({prior}). Zoek uit waarom voordat de klant erover "
                   "begint.",
        "tp_flat": "De omzet is stabiel: {last} in de laatste 12 maanden tegenover {prior} in "
                   "de 12 maanden daarvoor.",
        "tp_new_customer": "Omzet in de laatste 12 maanden: {last}; niets in de 12 maanden "
                           "daarvoor.",
        "tp_mix_up": "{line} groeide van {a} naar {b} van onze omzet bij de groep.",
        "tp_mix_down": "{line} daalde van {a} naar {b} van onze omzet bij de groep.",
        "tp_mix_new": "Nieuw dit jaar: {line} ({money} in de laatste 12 maanden).",
        "tp_mix_lost": "{line} is gestopt: {money} in de 12 maanden daarvoor, sindsdien niets.",
        "tp_headroom": "Wij hebben {sow} van de wallet van de groep ({rank}); {headroom} per "
                       "jaar gaat naar anderen. Daar zit de groeiruimte.",
        "tp_top3": "Wij zijn haar {rank} leverancier van {n}: de ambitie is de top 3.",
        "tp_wallet_unknown": "De wallet van de groep is niet bekend: vraag wat zij per jaar "
                             "aan onze soort dienstverlening besteedt, en bij wie.",
        "tp_open": "{n} nog open aan het eind van de periode; het ernstigst is de "
                   "{kind} \"{subject}\" ({severity}, sinds {date}). Zorg voor een antwoord.",
        "tp_open_one": "Nog open aan het eind van de periode: de {kind} \"{subject}\" "
                       "({severity}, sinds {date}). Zorg voor een antwoord.",
        "n:open": ("klacht of escalatie", "klachten en escalaties"),
        "tp_no_open": "Aan het eind van de periode stond geen klacht of escalatie open "
                      "({c} en {e} in het venster, alle gesloten).",
        "tp_no_complaints": "Geen klachten of escalaties in het venster.",
        "tp_at_risk": "Doel in gevaar: \"{text}\" ({status}, uiterlijk {due}).",
        "tp_unreported": "Geen status over {period} bij het doel \"{text}\" (uiterlijk "
                         "{due}): vraag het na vóór het bezoek.",
        "tp_overdue": "Doel over de datum: \"{text}\" (uiterlijk {due}, {status}).",
        "tp_objectives_ok": "Alle {n} doelen liggen op koers.",
        "tp_objective_ok": "Het doel ligt op koers: \"{text}\".",
        "tp_objectives_ok2": "Beide doelen liggen op koers.",
        "tp_meeting": "Volgend directieoverleg: {date}, {who} met {counterpart}.",
        "tp_no_meeting": "Na deze periode is geen directieoverleg gepland: plan er een.",
        "tp_no_plan": "Er is nog geen accountplan voor deze groep: maak het aan met "
                      "{command} vóór het bezoek.",
        "plan_missing_short": "Dit komt uit het accountplan, dat deze groep nog niet heeft.",
        "plan_missing": "Er is nog geen accountplan voor deze groep, dus belanghebbenden, "
                        "doelen, directieoverleg en voordelen ontbreken hier. Maak het aan met "
                        "{command}, vul het in en maak de briefing opnieuw.",
        "sow_rank": "{rank} leverancier van {n}",
        "rank_unknown_short": "rang onbekend",
    },
}

STATUS_WORDS = {  # objective statuses as written in plans, in the reader's language
    "nl": {"on track": "op koers", "at risk": "in gevaar", "behind": "achter",
           "achieved": "behaald", "done": "behaald", "missed": "niet gehaald",
           "not started": "niet begonnen", "delayed": "vertraagd", "dropped": "vervallen"},
    "en": {"op koers": "on track", "in gevaar": "at risk", "risico": "at risk",
           "achter": "behind", "behaald": "achieved", "niet gehaald": "missed",
           "niet begonnen": "not started", "vertraagd": "delayed", "vervallen": "dropped"},
}
