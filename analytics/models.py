"""Analytics models; the rollups the dashboard reads live in analytics.rollups.models."""

from analytics.rollups.models import ButtonRollup, MessageFact, Rollup

__all__ = ["ButtonRollup", "MessageFact", "Rollup"]
