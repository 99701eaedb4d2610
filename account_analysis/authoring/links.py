"""Link suggestions: accounts that probably belong to one customer group, for human review.

The analyst curates the group structure (``parent_id`` in ``accounts``, ``parent_links``).
A customer master usually holds subsidiaries nobody has linked yet; :func:`suggest_links`
proposes pairs by name, and :func:`write_link_review` writes them as a CSV the analyst marks
``accept`` yes/no and pastes into ``parent_links.csv``. Nothing here changes a dataset: a
suggestion becomes a link only when a person copies it.

How a pair is found and scored
------------------------------
1. **Normalise** each name: accents and case folded, punctuation dropped (``B.V.`` → ``bv``),
   a branch qualifier cut off (``… vestiging Den Haag``, ``… regio Noord``: the place of a
   branch, not the name of the company), legal forms and holding words stripped at the ends
   (:data:`LEGAL_FORMS`, :data:`LEADING_FORMS`). What is left is the *full name*.
2. The *name core* is the full name without words that say what a company does rather than
   who it is (:data:`ACTIVITY_WORDS`, compounds ending in :data:`ACTIVITY_SUFFIXES`):
   "Van Houten Logistiek Groep B.V." and "Van Houten Distributie B.V." share the core
   ``van houten``.
3. **Block**: only accounts that share a distinctive core word (not a particle such as
   ``van``), or a Dutch four-digit postcode, are compared. A word shared by more than
   :data:`MAX_BLOCK` accounts is compared only within a postcode region (first two digits),
   and dropped when even that is too many: it no longer says who a company is.
4. **Score** (0–100) = 60% similarity of the cores + 40% similarity of the full names, both
   by rapidfuzz on the words without particles. A core that holds all words of the other
   scores 100 (``fuzz.token_set_ratio``: "Van Houten" and "Van Houten DC Venlo"); otherwise
   the cores are compared whole (``fuzz.token_sort_ratio``), so that a shared town cannot
   carry two different names. :data:`REGION_POINTS` are added when both accounts are in the
   same Dutch postcode region (first two digits) and taken off when they are in different
   ones; :data:`OTHER_LINE_PENALTY` is taken off when the activity words of the two names
   are all from different lines of business. The result is capped to 0–100.
5. **Direction**: the candidate parent is the account with a holding word in its name
   (holding, groep, group, beheer), else the one with more child accounts, else the one
   that already belongs to a group (the other, standalone, needs the link), else the one
   that is not a branch ("… vestiging …"), else the shorter name (a subsidiary's name
   extends its parent's), else a group word inside a word ("Zorggroep"), else the lower
   account number. The reason names the rule that decided.

Thresholds and word lists were set by reasoning about Dutch company names, and checked on
the demo dataset by ``benchmarks/links_quality.py`` (precision and recall per threshold).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from account_analysis.load.schema import TABLES

from .links_groups import known_groups, top_parents
from .links_ids import different_ids, id_columns, pairs_within_blocks, same_id_pairs

__all__ = [
    "ACTIVITY_SUFFIXES",
    "ACTIVITY_WORDS",
    "CORE_WEIGHT",
    "COUNTRY_PENALTY",
    "LEADING_FORMS",
    "LEGAL_FORMS",
    "MAX_BLOCK",
    "OTHER_LINE_PENALTY",
    "REGION_POINTS",
    "REVIEW_COLUMNS",
    "SUGGESTION_COLUMNS",
    "name_core",
    "normalise_name",
    "suggest_links",
    "write_link_review",
]

# Legal forms and holding words, stripped from the end of a name (any run of them:
# "Holding B.V." goes as a whole). Dutch, Belgian, German, British, American, French.
LEGAL_FORMS = frozenset(
    """
    bv nv vof cv ua wa ba io bvba vzw asbl sprl srl cvba comm commv
    gmbh mbh ag kg ohg ug ev eg gbr
    ltd limited plc llp lp llc inc incorporated corp corporation co
    sa sas sarl spa se
    holding holdings groep group beheer concern
    """.split()
)
# Forms that lead a name: "Stichting Onderwijs Brabant", "Coöperatie … U.A.".
LEADING_FORMS = frozenset(
    "stichting vereniging cooperatie cooperatieve cooperatief holding groep".split()
)
# Words in a name that make the account a likely parent.
HOLDING_WORDS = frozenset("holding holdings groep group beheer concern".split())
# A branch qualifier: it and everything after it name the branch, not the company.
BRANCH_WORDS = ("vestiging", "vestigingen", "locatie", "lokatie", "filiaal", "regio",
                "afdeling", "afd", "team", "branch")  # fmt: skip
# Name particles: kept in the core ("van houten"), never a blocking word on their own.
PARTICLES = frozenset(
    "van de der den het t ter ten te op in en and und of the la le du des von zu s".split()
)
# Words that say what a company does, not who it is, by line of business. Two names whose
# activity words are all from different lines ("Hotel Reigersbos" and "Huisartsenpraktijk
# Reigersbos") are probably two businesses named after one place. The lines are broad on
# purpose; "" marks words that say nothing about the line. Extend for your customer master.
_LINES = {
    "bouw": "aannemer aannemers aannemersbedrijf bouw bouwbedrijf bouwgroep renovatie "
    "renovatiebedrijf woningbouw utiliteitsbouw infra schilders schildersbedrijf "
    "timmerbedrijf dakdekkers sloopbedrijf",
    "installatie": "installatie installaties installatiebedrijf installatietechniek techniek "
    "elektro elektrotechniek klimaattechniek",
    "logistiek": "logistiek logistics transport transporten distributie distributiecentrum dc "
    "expeditie opslag warehousing warehouse koeltransport vriestransport",
    "zorg": "zorg zorgcentrum zorggroep thuiszorg ziekenhuis ziekenhuizen kliniek polikliniek "
    "huisartsen huisartsenpraktijk tandarts tandartspraktijk fysiotherapie "
    "revalidatiecentrum woonzorgcentrum verpleeghuis ggz apotheek",
    "onderwijs": "onderwijs school scholen basisschool scholengroep college kinderopvang "
    "kindcentrum opleidingen opleidingscentrum",
    "horeca": "horeca hotel restaurant cafe brasserie partycentrum catering",
    "retail": "winkel winkels supermarkt supermarkten mode tuincentrum bouwmarkt slagerij "
    "tweewielers",
    "food": "agri food zuivel kwekerij tuinbouw tuinbouwbedrijf bakkerij",
    "industrie": "metaal metaalbewerking machinefabriek kunststof kunststoffen verpakkingen "
    "drukkerij productie",
    "vastgoed": "vastgoed vastgoedbeheer vve woningstichting woningcorporatie makelaardij "
    "projectontwikkeling wonen",
    "zakelijk": "accountants accountantskantoor advocaten notaris notariskantoor advies "
    "adviesbureau adviseurs consultancy consulting uitzendbureau uitzendgroep",
    "ict": "ict it automatisering software datacenter",
    "": "services service diensten dienstverlening facilitair facility facilities handel "
    "groothandel import export trading international internationaal management partners "
    "zonen nederland holland benelux europe centrale ontwikkeling projecten onderhoud "
    "schoonmaak energie solutions systems technologies",
}
ACTIVITY_WORDS: dict[str, str] = {w: line for line, ws in _LINES.items() for w in ws.split()}
# Dutch compounds ending in these are activity words too (bouwbedrijf, vriestransport; the
# stem must have three letters or more), of the line given.
ACTIVITY_SUFFIXES: dict[str, str] = {
    "bouw": "bouw", "zorg": "zorg", "kliniek": "zorg", "transport": "logistiek",
    "school": "onderwijs", "opvang": "onderwijs", "markt": "retail", "winkel": "retail",
    "winkels": "retail", "techniek": "installatie", "bedrijf": "", "bedrijven": "",
    "centrum": "", "centra": "", "praktijk": "", "kantoor": "", "bureau": "", "fabriek": "",
    "groep": "", "handel": "", "dienst": "", "diensten": "", "beheer": "", "service": "",
    "services": "", "stichting": "",
}  # fmt: skip
_LINE_BITS = {line: 1 << i for i, line in enumerate(sorted(set(_LINES) - {""}))}

MAX_BLOCK = 200  # most accounts compared with each other under one blocking key
CORE_WEIGHT = 0.6  # share of the core similarity in the score; the full name has the rest
REGION_POINTS = 5.0  # added when both are in one Dutch postcode region, else taken off
OTHER_LINE_PENALTY = 20.0  # activity words of both names only from different lines
# Taken off when the two are in different countries: more than the 15 points between a
# perfect name match and the default threshold, so a name alone never links across a border
# at 85 ("Scandinavian Gift Ideas" in SE and "Gift Ideas Corp." in US); a registration id can.
COUNTRY_PENALTY = 20.0

SUGGESTION_COLUMNS = [
    "account_id", "account_name", "candidate_parent_id", "candidate_parent_name", "score",
    "reason", "already_same_group", "account_postcode", "candidate_parent_postcode",
    "candidate_group_id", "valid_from", "valid_to",
]  # fmt: skip
# The review starts with the columns of parent_links, in its order: accepted rows paste as
# they are (account_id, parent_id, valid_from, valid_to, reason).
_PARENT_LINKS = TABLES["parent_links"].column_names
REVIEW_COLUMNS = [
    *_PARENT_LINKS, "accept", "score", "account_name", "parent_name", "account_postcode",
    "parent_postcode", "parent_group_id", "already_same_group",
]  # fmt: skip

_REQUIRED = ("account_id", "name", "postcode")
_LEGAL_TAIL = r"(?:\s(?:" + "|".join(sorted(LEGAL_FORMS, key=len, reverse=True)) + r"))+$"
_LEGAL_HEAD = r"^(?:(?:" + "|".join(sorted(LEADING_FORMS, key=len, reverse=True)) + r")\s)+"
_BRANCH = r"\s(?:" + "|".join(BRANCH_WORDS) + r")(?:\s.*)?$"
_PARTICLE_TAIL = r"(?:\s(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + r"))+$"
_SUFFIX = r"[a-z]{3,}(" + "|".join(sorted(ACTIVITY_SUFFIXES, key=len, reverse=True)) + r")"
_ACTIVITY = (
    r"\b(?:" + "|".join(sorted(ACTIVITY_WORDS, key=len, reverse=True)) + r"|" + _SUFFIX + r")\b"
)


def _folded(names: pd.Series) -> pd.Series:
    """Lowercase ASCII words separated by single spaces."""
    s = names.astype("str").str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True)
    s = s.str.casefold().str.replace(r"[.'’`]", "", regex=True)  # b.v. → bv, 's- → s-
    return s.str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()


def _full_names(folded: pd.Series) -> pd.Series:
    s = folded.str.replace(_BRANCH, "", regex=True)
    s = s.str.replace(_LEGAL_TAIL, "", regex=True).str.replace(_LEGAL_HEAD, "", regex=True)
    s = s.str.strip()
    return s.where(s != "", folded)  # a name that is all legal form keeps its words


def _cores(full: pd.Series) -> pd.Series:
    s = full.str.replace(_ACTIVITY, " ", regex=True)
    s = s.str.replace(r"\s+", " ", regex=True).str.strip()
    s = s.str.replace(_PARTICLE_TAIL, "", regex=True)  # "verhoeven en [partners]"
    distinctive = s.str.split(" ").map(lambda ws: any(w not in PARTICLES for w in ws))
    return s.where(distinctive & (s != ""), full)


def _without_particles(s: pd.Series) -> pd.Series:
    pattern = r"\b(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + r")\b"
    out = s.str.replace(pattern, " ", regex=True).str.replace(r"\s+", " ", regex=True)
    out = out.str.strip()
    return out.where(out != "", s)


def _business_lines(full: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per name: the lines of business of its activity words (a bit mask) and, for the
    reason, its first such word with its line ("hotel (horeca)")."""
    words = full.str.split(" ").explode()
    line = words.map(ACTIVITY_WORDS)
    by_suffix = words.str.extract("^" + _SUFFIX + "$", expand=False).map(ACTIVITY_SUFFIXES)
    line = line.fillna(by_suffix)
    named = line.notna() & (line != "")
    found = pd.DataFrame({"word": words[named], "line": line[named]})
    found = found[~found.reset_index().duplicated(["index", "line"]).to_numpy()]
    rows = found.index.to_numpy(dtype=np.int64)
    mask = np.zeros(len(full), dtype=np.int64)
    np.add.at(mask, rows, np.array([_LINE_BITS[x] for x in found["line"]], dtype=np.int64))
    label = np.full(len(full), "", dtype=object)
    first = ~found.index.duplicated(keep="first")
    label[rows[first]] = (found["word"] + " (" + found["line"] + ")").to_numpy()[first]
    return mask, label


def normalise_name(name: str) -> str:
    """A company name without accents, case, punctuation, branch qualifier and legal form.

    >>> normalise_name("Van Houten Logistiek Groep B.V.")
    'van houten logistiek'
    >>> normalise_name("Huis & Hof vestiging Den Haag")
    'huis hof'
    >>> normalise_name("Stichting Onderwijs Brabant")
    'onderwijs brabant'
    >>> normalise_name("Niederrhein Kühlhaus GmbH")
    'niederrhein kuhlhaus'
    """
    return str(_full_names(_folded(pd.Series([name]))).iloc[0])


def name_core(name: str) -> str:
    """The words of a name that say who the company is: :func:`normalise_name` without
    activity words.

    >>> name_core("Van Houten Distributie B.V.")
    'van houten'
    >>> name_core("Zorggroep Vlietstreek B.V.")
    'vlietstreek'
    >>> name_core("Hotel B.V.")  # nothing distinctive left: the full name is the core
    'hotel'
    """
    return str(_cores(_full_names(_folded(pd.Series([name])))).iloc[0])


def _blocking_keys(core: pd.Series, pc4: pd.Series, place: pd.Series) -> pd.Series:
    """Row position → key, once per key: distinctive core words, a common word within its
    ``place`` (country and Dutch postcode region, "NL:29", "SE:"), Dutch postcode areas."""
    words = core.str.split(" ").explode()
    words = words[(words.str.len() >= 3) & ~words.isin(PARTICLES)]
    unique = words.reset_index().drop_duplicates()  # a word twice in one name counts once
    words = pd.Series(unique.iloc[:, 1].to_numpy(), index=unique.iloc[:, 0].to_numpy())
    size = words.map(words.value_counts())
    small = words[size <= MAX_BLOCK]
    split = words[size > MAX_BLOCK] + "@" + place.reindex(words[size > MAX_BLOCK].index)
    split = split[place.reindex(split.index) != ":"]
    split = split[split.map(split.value_counts()) <= MAX_BLOCK]
    postcode = "pc:" + pc4[pc4 != ""]
    postcode = postcode[postcode.map(postcode.value_counts()) <= MAX_BLOCK]
    return pd.concat([small, split, postcode])


def _reason(
    c: int, p: int, col: dict[str, np.ndarray], other_line: bool, why: str, same: str, differ: str
) -> str:
    """The evidence for linking row ``c`` under row ``p``, in words: ``same``, an id they
    share ("same KvK number …"), says it all; ``differ`` names an id kind that differs."""
    if same:
        return f"{same}; parent: {why}"
    core_c, core_p = col["core"][c], col["core"][p]
    key_c, key_p = col["core_key"][c], col["core_key"][p]  # as scored: without particles
    words_c, words_p = set(key_c.split()), set(key_p.split())
    if key_c == key_p:
        text = f"same name core '{core_c if core_c == core_p else key_c}'"
    elif words_c <= words_p or words_p <= words_c:
        short, long = (core_c, core_p) if words_c <= words_p else (core_p, core_c)
        text = f"name core '{short}' within '{long}'"
    else:
        text = f"similar name cores '{core_c}' and '{core_p}'"
    country_c, country_p = col["country"][c], col["country"][p]
    if country_c and country_p and country_c != country_p:
        text += f" in other countries ({country_c}, {country_p})"
    elif col["pc4"][c] and col["pc4"][c] == col["pc4"][p]:
        text += f" and same postcode area {col['pc4'][c]}"
    elif col["region"][c] and col["region"][c] == col["region"][p]:
        text += f" and same postcode region {col['region'][c]}"
    elif col["region"][c] and col["region"][p]:
        text += f" in other postcode regions ({col['region'][c]}, {col['region'][p]})"
    elif not col["region"][c] and col["country"][c] and col["country"][c] == col["country"][p]:
        text += f" and both in {col['country'][c]}"
    if other_line:
        lines = f"{col['line_label'][c]} and {col['line_label'][p]}"
        text += f", but other lines of business: {lines}"
    if differ:
        text += f", but different {differ}s: two legal entities"
    return f"{text}; parent: {why}"


def _features(accounts: pd.DataFrame) -> pd.DataFrame:
    """Per account (by position): its ids, names, postcode areas and name evidence."""
    missing = [c for c in _REQUIRED if c not in accounts.columns]
    if missing:
        raise ValueError(
            f"accounts lacks column(s) {', '.join(missing)}; needs {', '.join(_REQUIRED)}"
        )

    def text(column: str) -> pd.Series:
        if column not in accounts.columns:
            return pd.Series("", index=range(len(accounts)), dtype="str")
        values = accounts[column].astype("str").where(accounts[column].notna(), "")
        return values.str.strip().reset_index(drop=True)

    f = pd.DataFrame({c: text(c) for c in ("account_id", "name", "postcode", "parent_id")})
    if f["account_id"].duplicated().any():
        dup = f.loc[f["account_id"].duplicated(), "account_id"].iloc[0]
        raise ValueError(f"account_id not unique: {dup!r}")
    f["country"] = text("country").str.upper()
    f["folded"] = _folded(f["name"])
    f["full"] = _full_names(f["folded"])
    f["core"] = _cores(f["full"])
    # Particles are no evidence: "De Horizon ('s-Hertogenbosch)" and "De Sprankel
    # ('s-Hertogenbosch)" share only them and a town.
    f["core_key"] = _without_particles(f["core"])
    f["full_key"] = _without_particles(f["full"])
    f["holding"] = f["folded"].str.split(" ").map(lambda ws: not HOLDING_WORDS.isdisjoint(ws))
    f["group_word"] = f["folded"].str.contains(r"\b[a-z]{3,}(?:groep|group)\b")  # zorggroep
    f["branch"] = f["folded"].str.contains(_BRANCH)  # "… vestiging Waalhaven"
    dutch = (f["country"] == "NL") | (
        (f["country"] == "") & f["postcode"].str.match(r"^\d{4}\s?[A-Za-z]{2}$")
    )
    f["pc4"] = f["postcode"].str.extract(r"^(\d{4})", expand=False).fillna("").where(dutch, "")
    f["region"] = f["pc4"].str[:2]
    f["lines"], f["line_label"] = _business_lines(f["full"])
    return f


def _with_id_evidence(f: pd.DataFrame, ids: dict[str, np.ndarray], a, b, score, other_line):
    """The name pairs and the pairs sharing a registration id (score 100), each once, and
    per pair the shared id in words (``""`` for a name pair). A name pair is dropped when
    both names are the same and an id of one kind differs: two companies with one name."""
    full, holding = f["full_key"].to_numpy(), f["holding"].to_numpy(dtype=bool)
    namesake = (full[a] == full[b]) & ~holding[a] & ~holding[b]
    keep = ~(namesake & (different_ids(ids, a, b) != ""))
    ia, ib, same = same_id_pairs(ids)
    pairs = pd.concat([
        pd.DataFrame({"a": ia, "b": ib, "score": 100.0, "other_line": False, "same": same}),
        pd.DataFrame({"a": a[keep], "b": b[keep], "score": score[keep],
                      "other_line": other_line[keep], "same": ""}),
    ], ignore_index=True).drop_duplicates(["a", "b"])  # fmt: skip
    return (
        pairs["a"].to_numpy(dtype=np.int64),
        pairs["b"].to_numpy(dtype=np.int64),
        pairs["score"].to_numpy(dtype="float64"),
        pairs["other_line"].to_numpy(dtype=bool),
        pairs["same"].to_numpy(dtype=object),
    )


def _candidate_pairs(f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (a < b) that share a blocking key, each once."""
    place = f["country"] + ":" + f["region"]
    left, right = pairs_within_blocks(_blocking_keys(f["core_key"], f["pc4"], place))
    n = np.int64(len(f))
    key = np.sort(np.minimum(left, right).astype(np.int64) * n + np.maximum(left, right))
    key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    return key // n, key % n


def _scores(f: pd.DataFrame, a: np.ndarray, b: np.ndarray, min_score: float):
    """Pairs scoring ``min_score`` or more: (a, b, score 0–100, lines of business differ)."""
    if len(a) == 0:
        return a, b, np.zeros(0), np.zeros(0, dtype=bool)
    region, lines = f["region"].to_numpy(), f["lines"].to_numpy()
    both = (region[a] != "") & (region[b] != "")
    bonus = np.where(both, np.where(region[a] == region[b], REGION_POINTS, -REGION_POINTS), 0.0)
    other_line = (lines[a] != 0) & (lines[b] != 0) & ((lines[a] & lines[b]) == 0)
    country = f["country"].to_numpy()
    abroad = (country[a] != "") & (country[b] != "") & (country[a] != country[b])
    bonus = bonus - OTHER_LINE_PENALTY * other_line - COUNTRY_PENALTY * abroad
    core, full = f["core_key"].to_numpy(), f["full_key"].to_numpy()
    # Cores count fully when one holds all words of the other; otherwise as whole strings, so
    # that a shared town cannot carry two different names ("dam dordrecht", "maas dordrecht").
    core_sim = process.cpdist(core[a], core[b], scorer=fuzz.token_set_ratio, workers=-1)
    partial = core_sim < 100
    core_sim[partial] = process.cpdist(
        core[a[partial]], core[b[partial]], scorer=fuzz.token_sort_ratio, workers=-1
    )
    # The full names can add at most (1 - CORE_WEIGHT) * 100: compare only pairs it can lift.
    hope = CORE_WEIGHT * core_sim + (1 - CORE_WEIGHT) * 100 + bonus >= min_score - 0.05
    a, b, core_sim, bonus, other_line = (x[hope] for x in (a, b, core_sim, bonus, other_line))
    full_sim = process.cpdist(full[a], full[b], scorer=fuzz.token_set_ratio, workers=-1)
    score = CORE_WEIGHT * core_sim + (1 - CORE_WEIGHT) * full_sim + bonus
    score = np.clip(score, 0.0, 100.0).round(1)
    keep = score >= min_score
    return a[keep], b[keep], score[keep], other_line[keep]


def _direction(
    f: pd.DataFrame, a: np.ndarray, b: np.ndarray, group: np.ndarray, children: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: is ``a`` the parent, the words saying why, and which rule decided (0 first)."""
    group_size = np.bincount(group, minlength=len(f))
    ranks = [  # the larger value is the parent; the first rule that tells them apart decides
        ("holding word in name", f["holding"].to_numpy().astype(int)),
        ("more child accounts", children),
        ("already in a group", (group_size[group] > 1).astype(int)),
        ("the other is a branch", (~f["branch"].to_numpy()).astype(int)),
        ("shorter name", -(f["full_key"].str.count(" ").to_numpy() + 1)),
        ("group word in name", f["group_word"].to_numpy().astype(int)),
        ("lower account number", -f["account_id"].rank(method="first").to_numpy()),
    ]
    a_is_parent = np.zeros(len(a), dtype=bool)
    decided = np.zeros(len(a), dtype=bool)
    rule = np.full(len(a), len(ranks) - 1)
    for k, (_, key) in enumerate(ranks):
        differs = ~decided & (key[a] != key[b])
        a_is_parent[differs] = key[a][differs] > key[b][differs]
        rule[differs] = k
        decided |= differs
    return a_is_parent, np.array([label for label, _ in ranks])[rule], rule


def suggest_links(
    accounts: pd.DataFrame,
    *,
    min_score: float = 85.0,
    include_known: bool = False,
    parent_links: pd.DataFrame | None = None,
    max_per_account: int | None = 3,
) -> pd.DataFrame:
    """Pairs of accounts that probably belong to one group, best first, for review.

    ``accounts`` needs ``account_id``, ``name`` and ``postcode``; ``parent_id`` and
    ``country`` are used when present (the loaded ``Dataset.accounts`` has them all).
    ``parent_links`` (optional, as loaded) counts as known structure too, whatever its
    dates. Pairs scoring below ``min_score`` (0–100) are left out, and so are pairs already
    in one group (connected through ``parent_id`` or ``parent_links``) unless
    ``include_known``. An account gets one candidate per known group (the best) and at most
    ``max_per_account`` candidates in all (``None``: no limit): it needs one parent, and a
    chain of 300 branches would otherwise fill the review with 45,000 pairs.

    Returns :data:`SUGGESTION_COLUMNS`: the proposed child ``account_id``/``account_name``,
    ``candidate_parent_id``/``candidate_parent_name``, ``score``, a ``reason`` in words,
    ``already_same_group``, both postcodes, ``candidate_group_id`` (the top-level account
    above the candidate parent via ``parent_id``, to link to instead when that fits better)
    and empty ``valid_from``/``valid_to`` for the analyst. Sorted by score (best first),
    then account id. Does not mutate ``accounts``. The method is in the module docstring.

    >>> acc = pd.DataFrame({
    ...     "account_id": ["C1", "C2", "C3"],
    ...     "name": ["Van Houten Logistiek Groep B.V.", "Van Houten Distributie B.V.",
    ...              "Bakkerij Jansen"],
    ...     "postcode": ["2991 LA", "2993 AB", "2991 XX"]})
    >>> s = suggest_links(acc)
    >>> s[["account_id", "candidate_parent_id", "score"]].to_dict("records")
    [{'account_id': 'C2', 'candidate_parent_id': 'C1', 'score': 93.2}]
    >>> print(s["reason"].iloc[0])
    same name core 'van houten' and same postcode region 29; parent: holding word in name
    """
    if not 0 <= min_score <= 100:
        raise ValueError(f"min_score must be between 0 and 100, not {min_score!r}")
    if max_per_account is not None and max_per_account < 1:
        raise ValueError(f"max_per_account must be 1 or more, not {max_per_account!r}")
    f = _features(accounts)
    a, b = _candidate_pairs(f)
    a, b, score, other_line = _scores(f, a, b, min_score)
    ids = id_columns(accounts, len(f))
    a, b, score, other_line, same = _with_id_evidence(f, ids, a, b, score, other_line)
    if len(a) == 0:
        return _empty_suggestions()
    differ = different_ids(ids, a, b)
    group, children = known_groups(f["account_id"], f["parent_id"], parent_links)
    known = group[a] == group[b]
    if not include_known:
        a, b, score, other_line, known, same, differ = (
            x[~known] for x in (a, b, score, other_line, known, same, differ)
        )

    a_is_parent, why, rule = _direction(f, a, b, group, children)
    pairs = pd.DataFrame({
        "child": np.where(a_is_parent, b, a), "parent": np.where(a_is_parent, a, b),
        "score": score.astype("float64"), "other_line": other_line, "known": known,
        "why": why, "rule": rule, "same": same, "differ": differ,
    })  # fmt: skip
    ids = f["account_id"].to_numpy()
    pairs["account_id"] = ids[pairs["child"]]
    pairs["candidate_parent_id"] = ids[pairs["parent"]]
    pairs["group"] = group[pairs["parent"]]
    pairs = pairs.sort_values(["score", "account_id", "rule", "candidate_parent_id"],
                              ascending=[False, True, True, True], kind="stable")  # fmt: skip
    pairs = pairs.drop_duplicates(["account_id", "group"], keep="first")
    if max_per_account is not None:
        pairs = pairs[pairs.groupby("account_id", sort=False).cumcount() < max_per_account]

    child, parent = pairs["child"].to_numpy(), pairs["parent"].to_numpy()
    col = {
        c: f[c].to_numpy() for c in ("core", "core_key", "pc4", "region", "country", "line_label")
    }
    evidence = zip(child, parent, pairs["other_line"], pairs["why"], pairs["same"],
                   pairs["differ"], strict=True)  # fmt: skip
    reasons = [_reason(c, p, col, o, w, s, d) for c, p, o, w, s, d in evidence]
    names, postcodes = f["name"].to_numpy(), f["postcode"].to_numpy()
    out = pd.DataFrame(
        {
            "account_id": pairs["account_id"].to_numpy(),
            "account_name": names[child],
            "candidate_parent_id": pairs["candidate_parent_id"].to_numpy(),
            "candidate_parent_name": names[parent],
            "score": pairs["score"].to_numpy(),
            "reason": reasons,
            "already_same_group": pairs["known"].to_numpy(),
            "account_postcode": postcodes[child],
            "candidate_parent_postcode": postcodes[parent],
            "candidate_group_id": top_parents(f["account_id"], f["parent_id"])[parent],
            "valid_from": "",
            "valid_to": "",
        },
        columns=SUGGESTION_COLUMNS,
    )
    return out.astype(_DTYPES)


_DTYPES = {c: "str" for c in SUGGESTION_COLUMNS} | {
    "score": "float64",
    "already_same_group": "bool",
}


def _empty_suggestions() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _DTYPES.items()})


def write_link_review(suggestions: pd.DataFrame, path: str | Path) -> None:
    """Write ``suggestions`` as a review CSV (UTF-8, comma-separated) for the analyst.

    Columns: :data:`REVIEW_COLUMNS`. The first five are those of ``parent_links.csv`` in its
    order (``valid_from`` is left empty: the analyst fills in the day the link starts, which
    ``parent_links`` requires); then ``accept``, empty, for yes/no; then the evidence.
    Accepted rows paste into ``parent_links.csv`` by their first five cells. Text that a
    spreadsheet would read as a formula (``=HYPERLINK(...)``, ``+``, ``-``, ``@``; see
    :func:`~account_analysis.render.workbook.neutralise`) gets a leading ``'``, so that opening the
    file in Excel shows it as text and runs nothing. The file is written whole or not at
    all. Does not mutate ``suggestions``.
    """
    from ..render.workbook import neutralise

    missing = [c for c in SUGGESTION_COLUMNS if c not in suggestions.columns]
    if missing:
        raise ValueError(f"not a suggest_links result: lacks {', '.join(missing)}")
    review = pd.DataFrame(
        {
            "account_id": suggestions["account_id"],
            "parent_id": suggestions["candidate_parent_id"],
            "valid_from": suggestions["valid_from"],
            "valid_to": suggestions["valid_to"],
            "reason": suggestions["reason"],
            "accept": "",
            "score": suggestions["score"].map("{:.1f}".format),
            "account_name": suggestions["account_name"],
            "parent_name": suggestions["candidate_parent_name"],
            "account_postcode": suggestions["account_postcode"],
            "parent_postcode": suggestions["candidate_parent_postcode"],
            "parent_group_id": suggestions["candidate_group_id"],
            "already_same_group": suggestions["already_same_group"].map({True: "yes", False: "no"}),
        },
        columns=REVIEW_COLUMNS,
    ).map(lambda v: f"'{v}" if neutralise(v) else v)
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        review.to_csv(partial, index=False, encoding="utf-8", lineterminator="\n")
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
