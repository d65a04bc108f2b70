"""Pages for time entries (the review grid), timers and expenses."""

urlpatterns: list = []
