"""A target's ratchet: each revision paired with what it changed the target to (rendered on target and learning pages)."""

from __future__ import annotations

from .model import Point, Revision, Target


def derive_ratchet(t: Target) -> list[tuple[Revision, Point]]:
    """Pair each revision with what it changed the target to: the next revision's old value, or today's target."""
    revs = sorted(t.revisions, key=lambda r: r.date)
    return [(r, revs[i + 1].was if i + 1 < len(revs) else t.target) for i, r in enumerate(revs)]
