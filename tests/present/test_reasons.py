"""The designation's facts in words: ordinals by CLDR's ordinal rules, every wallet basis
in both languages, and the workbook's frame with words in place of codes."""

from __future__ import annotations

import pandas as pd
import pytest

from account_analysis.analysis.designation import REASONS
from account_analysis.analysis.wallet import WALLET_BASES, WALLET_BASIS_COLUMNS
from account_analysis.present.reasons import (
    TEXT,
    WALLET_WORDS,
    ordinal,
    rationale,
    wallet_method,
    with_words,
)
from account_analysis.settings.parameters import LANGUAGES


def _hand_ordinal(n: int) -> str:
    """English ordinals as written by hand (the rule the product used before Babel's)."""
    return f"{n}" + ("th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


def test_ordinals_follow_the_language():
    assert [ordinal(n) for n in range(1, 300)] == [_hand_ordinal(n) for n in range(1, 300)]
    assert [ordinal(n, "nl") for n in (1, 2, 3, 11, 90)] == ["1e", "2e", "3e", "11e", "90e"]


def test_every_reason_and_wallet_basis_has_words_in_every_language():
    for language in LANGUAGES:
        assert set(REASONS) <= set(TEXT[language])
        assert set(WALLET_BASES) - {"war", "similar", "unknown"} <= set(WALLET_WORDS[language])
        for basis in WALLET_BASES:
            text = wallet_method(
                {
                    "wallet_basis": basis,
                    "wallet_as_of": pd.Timestamp("2026-06-30"),
                    "our_rank": 2,
                    "n_suppliers": 5,
                    "peer_sector": "Zorg",
                    "peer_band": 3,
                    "peer_quantile": 0.9,
                },
                language,
            )
            assert text and "{" not in text, (language, basis, text)


ROW = {
    "group_id": "G1",
    "name": "",
    "share": 0.0637,
    "our_rank": pd.NA,
    "n_suppliers": pd.NA,
    "share_of_wallet": float("nan"),
    "wallet_source": "unknown",
    "headroom_cents": pd.NA,
    "trend": 0.2,
    "open_escalations": 1,
}


@pytest.mark.parametrize("reason", sorted(REASONS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_reason_reads_as_one_sentence_with_its_facts(reason, language):
    # The rank the rule saw: known for top3 and not_top3, unknown for rank_unknown.
    rank = {"top3": 2, "not_top3": 5, "rank_unknown": pd.NA}.get(reason, pd.NA)
    text = rationale(ROW | {"reason": reason, "our_rank": rank, "n_suppliers": 6}, 0.055, language)
    assert text.startswith("G1 ") and "{" not in text  # no name: the group id
    assert " : " not in text and "  " not in text
    assert {"en": "6.4%", "nl": "6,4%"}[language] in text  # the share, in the locale
    if rank is not pd.NA:
        assert {"en": f"its {ordinal(rank)} supplier of 6", "nl": f"de {rank}e van 6 leveranciers"}[
            language
        ] in text
    # the trend, mentioned from 5%, rounded as every growth figure (format_growth)
    assert {"en": "rose 20.0%", "nl": "steeg 20,0%"}[language] in text
    if reason == "near_miss":
        assert {"en": "5.5%", "nl": "5,5%"}[language] in text  # a threshold of 5.5%


def test_workbook_frame_has_words_where_the_codes_were():
    frame = pd.DataFrame(
        [
            ROW
            | {
                "reason": "rank_unknown",
                "recommendation": "watch",
                "wallet_basis": "war",
                "wallet_as_of": pd.NaT,
                "wallet_currency": "",
                "peer_sector": "",
                "peer_band": pd.NA,
                "peer_quantile": float("nan"),
            }
        ]
    )
    out = with_words(frame, 0.05, "nl")
    assert "reason" not in out and not set(WALLET_BASIS_COLUMNS) & set(out)
    assert list(out.columns).index("rationale") == list(frame.columns).index("reason")
    assert out.loc[0, "rationale"].endswith(
        "volgen tot die bekend is. De omzet steeg 20,0% in "
        "de laatste 12 maanden. Er staat 1 escalatie open."
    )
    assert out.loc[0, "wallet_method"] == "Wallet Allocation Rule vanuit rang ? van ?"
