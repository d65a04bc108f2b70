"""API routes for e-billing submissions and LEDES files (see docs/api.md)."""

from ninja import Router

router = Router(tags=["e-billing"])
