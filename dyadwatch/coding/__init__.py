"""Stage 4: Sentence -> Event, coded in the CAMEO ontology by our rule coder."""

from __future__ import annotations

from dyadwatch.coding.coder import RuleCoder

__all__ = ["RuleCoder"]
