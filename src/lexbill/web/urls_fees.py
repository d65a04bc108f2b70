"""Pages for a matter's fee schedule (flat-fee items, milestones) and recoveries."""

from django.urls import path

from . import views_fees

urlpatterns = [
    path("matters/<int:pk>/fees/", views_fees.matter_fees, name="matter_fees"),
    path("matters/<int:pk>/fees/items/add/", views_fees.fee_item_add, name="fee_item_add"),
    path("matters/<int:pk>/fees/recoveries/add/", views_fees.recovery_add, name="recovery_add"),
    path("fee-items/<int:pk>/edit/", views_fees.fee_item_edit, name="fee_item_edit"),
    path("fee-items/<int:pk>/reached/", views_fees.fee_item_reached, name="fee_item_reached"),
    path("fee-items/<int:pk>/unreached/", views_fees.fee_item_unreached, name="fee_item_unreached"),
    path("fee-items/<int:pk>/delete/", views_fees.fee_item_delete, name="fee_item_delete"),
    path("recoveries/<int:pk>/delete/", views_fees.recovery_delete, name="recovery_delete"),
]
