"""Pages for bill runs (launcher with progress) and invoices (list, detail, PDF, credit notes)."""

urlpatterns: list = []
