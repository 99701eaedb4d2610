"""The known group structure for link suggestions: groups already linked, their top accounts.

Split from :mod:`account_analysis.authoring.links`, which uses them to leave out pairs already
in one group, to choose the direction of a link and to name the group a candidate is in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["known_groups", "top_parents"]


def known_groups(ids: pd.Series, parents: pd.Series, parent_links: pd.DataFrame | None):
    """Connected components over all parent links (dates ignored), and children counts."""
    index = pd.Index(ids)
    child = [ids[parents != ""].to_numpy()]
    parent = [parents[parents != ""].to_numpy()]
    if parent_links is not None and len(parent_links):
        child.append(parent_links["account_id"].astype("str").to_numpy())
        parent.append(parent_links["parent_id"].astype("str").to_numpy())
    u, v = index.get_indexer(np.concatenate(child)), index.get_indexer(np.concatenate(parent))
    keep = (u >= 0) & (v >= 0)
    u, v = u[keep], v[keep]
    label = np.arange(len(ids))
    while True:
        new = label.copy()
        np.minimum.at(new, u, label[v])
        np.minimum.at(new, v, label[u])
        new = new[new]
        if np.array_equal(new, label):
            break
        label = new
    edges = pd.DataFrame({"u": u, "v": v}).drop_duplicates()
    children = np.bincount(edges["v"].to_numpy(), minlength=len(ids))
    return label, children


def top_parents(ids: pd.Series, parents: pd.Series) -> np.ndarray:
    """Top-level account via ``parent_id`` (a cycle or unknown parent stops the climb)."""
    step = pd.Series(parents.where(parents != "", ids).to_numpy(), index=ids.to_numpy())
    step = step.where(step.isin(step.index), step.index.to_series())
    top = step.to_numpy()
    for _ in range(64):
        nxt = step.reindex(top).to_numpy()
        if np.array_equal(nxt, top):
            break
        top = nxt
    return top
