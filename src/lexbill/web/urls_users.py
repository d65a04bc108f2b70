"""The Users pages (admins) and the change-password page (everyone logged in)."""

from django.urls import path

from . import views_users

urlpatterns = [
    path("password/", views_users.own_password_change, name="password_change"),
    path("users/", views_users.user_list, name="user_list"),
    path("users/invite/", views_users.user_invite, name="user_invite"),
    path("users/<int:user_id>/role/", views_users.user_role, name="user_role"),
    path("users/<int:user_id>/deactivate/", views_users.user_deactivate, name="user_deactivate"),
    path("users/<int:user_id>/reactivate/", views_users.user_reactivate, name="user_reactivate"),
    path("users/<int:user_id>/reset-password/", views_users.user_reset_password, name="user_reset_password"),
]
