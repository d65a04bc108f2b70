"""Pages for pre-bills: the list, the review page, the approval queue."""

urlpatterns: list = []
