"""Pages for the firm's billing settings and tax rates."""

urlpatterns: list = []
