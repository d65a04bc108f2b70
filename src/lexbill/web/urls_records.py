"""Pages for clients, matters, timekeepers and rates."""

urlpatterns: list = []
