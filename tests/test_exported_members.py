"""The public API is exactly ``dyadwatch.__all__``, and each name is importable."""

from __future__ import annotations

import dyadwatch


def test_all_names_are_exported_and_public() -> None:
    for name in dyadwatch.__all__:
        assert hasattr(dyadwatch, name), name
    public = {
        name
        for name, value in vars(dyadwatch).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("dyadwatch")
    }
    assert public <= set(dyadwatch.__all__)
