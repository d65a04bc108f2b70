"""Pages for a matter's fee schedule (flat-fee items, milestones) and recoveries."""

urlpatterns: list = []
