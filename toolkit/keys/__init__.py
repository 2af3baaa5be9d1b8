"""Generation, rotation and revocation of inventoried keys (next)."""
