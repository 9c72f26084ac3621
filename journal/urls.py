import datetime

from django.urls import path, register_converter

from journal.views import calendar, counselor, data, entries, reviews, sharing, trends


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        # A ValueError (say 2026-02-30) makes the pattern not match: a 404.
        return datetime.date.fromisoformat(value)

    def to_url(self, value: datetime.date) -> str:
        return value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "journal"

urlpatterns = [
    path("", entries.entry_list, name="entry-list"),
    path("new/", entries.entry_create, name="entry-create"),
    path("quick/", entries.entry_quick, name="entry-quick"),
    path("<int:pk>/", entries.entry_detail, name="entry-detail"),
    path("<int:pk>/edit/", entries.entry_update, name="entry-update"),
    path("<int:pk>/delete/", entries.entry_delete, name="entry-delete"),
    path("trends/", trends.trends, name="trends"),
    path("reviews/", reviews.review_list, name="review-list"),
    path("reviews/<isodate:start>/", reviews.review_week, name="review-week"),
    path("sharing/", sharing.sharing, name="sharing"),
    path("sharing/<int:pk>/cancel/", sharing.share_cancel, name="share-cancel"),
    path("sharing/<int:pk>/revoke/", sharing.share_revoke, name="share-revoke"),
    path("sharing/<int:pk>/scope/", sharing.share_scope, name="share-scope"),
    path("invitations/<str:token>/", sharing.invitation, name="invitation"),
    # A counselor's read-only view of a client's journal, page for page.
    path("clients/", counselor.clients, name="clients"),
    path("clients/<int:share_id>/", counselor.client_entry_list, name="client-entry-list"),
    path(
        "clients/<int:share_id>/<int:pk>/",
        counselor.client_entry_detail,
        name="client-entry-detail",
    ),
    path("clients/<int:share_id>/calendar/", counselor.client_calendar, name="client-calendar"),
    path(
        "clients/<int:share_id>/calendar/<int:year>/<int:month>/",
        counselor.client_calendar_month,
        name="client-calendar-month",
    ),
    path("clients/<int:share_id>/trends/", counselor.client_trends, name="client-trends"),
    path(
        "clients/<int:share_id>/guidance/",
        counselor.client_guidance_index,
        name="client-guidance-index",
    ),
    path(
        "clients/<int:share_id>/guidance/<slug:slug>/",
        counselor.client_guidance_principle,
        name="client-guidance-principle",
    ),
    path(
        "clients/<int:share_id>/reviews/",
        counselor.client_review_list,
        name="client-review-list",
    ),
    path(
        "clients/<int:share_id>/reviews/<isodate:start>/",
        counselor.client_review_week,
        name="client-review-week",
    ),
    path("calendar/", calendar.month, name="calendar"),
    path("calendar/<int:year>/<int:month>/", calendar.month, name="calendar-month"),
    # Your data, from Settings.
    path("data/export/json/", data.export_json, name="data-export"),
    path("data/export/csv/", data.export_csv, name="data-export-csv"),
    path("data/import/", data.import_file, name="data-import"),
    path("account/delete/", data.delete_account, name="account-delete"),
    path("account/deleted/", data.account_deleted, name="account-deleted"),
]
