"""Blocks of accounts and registration ids as exact evidence, for link suggestions.

Two accounts with the same valid KvK, VAT, LEI or DUNS number (columns of ``accounts``,
checked on loading by :mod:`account_analysis.load.registration`) are one legal entity: a
link at score 100, with that id as the reason, whatever their names. Two accounts whose ids
of one kind differ are two legal entities: when their names are also the same, that is two
companies that happen to share a name (a subsidiary is named apart from its parent), and
:mod:`account_analysis.authoring.links` drops the pair.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..load.registration import ID_COLUMNS, ID_LABELS, normalise_ids

__all__ = ["MAX_ID_BLOCK", "different_ids", "id_columns", "pairs_within_blocks", "same_id_pairs"]

MAX_ID_BLOCK = 200  # more accounts with one id are each paired with the block's first only


def pairs_within_blocks(keys: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """All (row, row) pairs sharing a key; ``keys`` maps row position → key (repeated)."""
    order = np.lexsort((keys.index.to_numpy(), keys.to_numpy()))
    rows = keys.index.to_numpy()[order]
    codes = pd.factorize(keys.to_numpy()[order])[0]
    sizes = np.bincount(codes)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    at = np.arange(len(rows)) - starts[codes]  # position within the block
    after = sizes[codes] - at - 1  # partners later in the block
    left = np.repeat(np.arange(len(rows)), after)
    offset = np.arange(len(left)) - np.repeat(np.cumsum(after) - after, after)
    right = left + 1 + offset
    return rows[left], rows[right]


def id_columns(accounts: pd.DataFrame, rows: int) -> dict[str, np.ndarray]:
    """Per id kind of :data:`~account_analysis.load.registration.ID_COLUMNS`: the normalised
    ids by row position (``""`` where absent; a column the frame lacks is all ``""``)."""
    out = {}
    for kind in ID_COLUMNS:
        if kind in accounts.columns:
            out[kind] = normalise_ids(accounts[kind]).to_numpy(dtype=object)
        else:
            out[kind] = np.full(rows, "", dtype=object)
    return out


def same_id_pairs(ids: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row pairs (a < b) sharing an id, each once, and the evidence in words for the first
    kind they share ("same KvK number 27312152").

    >>> ids = {"lei": np.array(["", "", ""], dtype=object),
    ...        "vat": np.array(["", "", ""], dtype=object),
    ...        "kvk": np.array(["27312152", "", "27312152"], dtype=object),
    ...        "duns": np.array(["", "", ""], dtype=object)}
    >>> a, b, why = same_id_pairs(ids)
    >>> a.tolist(), b.tolist(), why.tolist()
    ([0], [2], ['same KvK number 27312152'])
    """
    found = []
    for rank, kind in enumerate(ID_COLUMNS):
        values = pd.Series(ids[kind])
        values = values[values != ""]
        size = values.map(values.value_counts())
        left, right = pairs_within_blocks(values[size <= MAX_ID_BLOCK])
        big = values[size > MAX_ID_BLOCK]
        first = big.groupby(big, sort=False).transform(lambda g: g.index[0])
        star = big.index.to_numpy() != first.to_numpy()
        left = np.concatenate([left, first.to_numpy()[star]]).astype(np.int64)
        right = np.concatenate([right, big.index.to_numpy()[star]]).astype(np.int64)
        a, b = np.minimum(left, right), np.maximum(left, right)
        why = [f"same {ID_LABELS[kind]} {v}" for v in ids[kind][a]]
        found.append(pd.DataFrame({"a": a, "b": b, "rank": rank, "why": why}))
    pairs = pd.concat(found, ignore_index=True).sort_values(["a", "b", "rank"], kind="stable")
    pairs = pairs.drop_duplicates(["a", "b"])
    return (
        pairs["a"].to_numpy(dtype=np.int64),
        pairs["b"].to_numpy(dtype=np.int64),
        pairs["why"].to_numpy(dtype=object),
    )


def different_ids(ids: dict[str, np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair: the label of the first id kind both rows have and that differs ("KvK
    number"), or ``""``: then the two are, as far as the ids tell, not two legal entities."""
    label = np.full(len(a), "", dtype=object)
    for kind in reversed(ID_COLUMNS):  # the first kind in order wins
        x, y = ids[kind][a], ids[kind][b]
        label[(x != "") & (y != "") & (x != y)] = ID_LABELS[kind]
    return label
