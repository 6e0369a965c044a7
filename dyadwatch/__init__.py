"""dyadwatch: news pages in, clean deduplicated articles (and soon coded events) out."""

from __future__ import annotations

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.1.0"
__all__ = ["__version__"]
