from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views, views_search

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("firm/switch/", views.firm_switch, name="firm_switch"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("search/", views_search.search, name="search"),
    path("", include("lexbill.web.urls_records")),
    path("", include("lexbill.web.urls_time")),
    path("", include("lexbill.web.urls_pickers")),
    path("", include("lexbill.web.urls_review")),
    path("", include("lexbill.web.urls_invoices")),
    path("", include("lexbill.web.urls_settings")),
    path("", include("lexbill.web.urls_fees")),
    path("", include("lexbill.web.urls_ebilling")),
    path("", include("lexbill.web.urls_users")),
    path("", include("lexbill.web.urls_bulk")),
    path("", include("lexbill.web.urls_exchange")),
]
