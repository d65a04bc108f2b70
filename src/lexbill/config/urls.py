from django.urls import include, path

from lexbill.api.urls import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("lexbill.web.urls")),
]
