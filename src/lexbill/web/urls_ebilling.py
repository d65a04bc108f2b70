"""Pages for e-billing: the submission dashboard, LEDES downloads, portal answers."""

urlpatterns: list = []
