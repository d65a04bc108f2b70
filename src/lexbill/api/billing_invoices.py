"""API routes for billing (see docs/api.md)."""

from ninja import Router

router = Router(tags=["billing"])
