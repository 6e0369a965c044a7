"""Stage 6: per-dyad series, change points and early-warning alerts."""
