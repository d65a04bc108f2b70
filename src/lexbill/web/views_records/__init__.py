"""Pages for clients (with contacts), matters, timekeepers and rates: list, detail, create, edit."""
