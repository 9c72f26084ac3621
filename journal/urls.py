import datetime

from django.urls import path, re_path, register_converter

from journal.portability import views as data
from journal.reports import views as reports
from journal.rules import EARLIEST_DATE
from journal.sharing import views as sharing
from journal.views import calendar, entries, offline


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        # A ValueError (say 2026-02-30, or a day before the journal's first) makes the
        # pattern not match: a 404.
        day = datetime.date.fromisoformat(value)
        if day < EARLIEST_DATE:
            raise ValueError(f"{value} is before {EARLIEST_DATE}")
        return day

    def to_url(self, value: datetime.date) -> str:
        return value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "journal"

# The pages of a journal: served to its owner here, and read-only to a counselor
# under clients/<share_id>/ (reconnect/urls.py). Their views take the `Journal` to
# show from journal.access.journal_page.
pages = [
    path("", entries.entry_list, name="entry-list"),
    path("<uuid:public_id>/", entries.entry_detail, name="entry-detail"),
    path("calendar/", calendar.month, name="calendar"),
    path("calendar/<int:year>/<int:month>/", calendar.month, name="calendar-month"),
    path("calendar/<isodate:date>/", calendar.day, name="calendar-day"),
    path("trends/", reports.trends, name="trends"),
    path("reviews/", reports.review_list, name="review-list"),
    path("reviews/<isodate:start>/", reports.review_week, name="review-week"),
    path("summary/", reports.summary, name="summary"),
]

urlpatterns = [
    *pages,
    # An entry's address from before entries had public ids leads its owner on; to a
    # counselor it would map internal numbers to entries, so it is not a page above.
    re_path(
        r"^(?P<pk>[0-9]{1,18})/(?P<then>edit/|delete/|)$", entries.entry_moved, name="entry-moved"
    ),
    path("new/", entries.entry_create, name="entry-create"),
    path("quick/", entries.entry_quick, name="entry-quick"),
    # Quick logs a phone kept while offline, sent once it is online again.
    path("sync/", offline.entry_sync, name="entry-sync"),
    path("<uuid:public_id>/undo/", entries.entry_undo, name="entry-undo"),
    path("<uuid:public_id>/edit/", entries.entry_update, name="entry-update"),
    path("<uuid:public_id>/delete/", entries.entry_delete, name="entry-delete"),
    path("sharing/", sharing.sharing, name="sharing"),
    path("sharing/<uuid:public_id>/sent/", sharing.share_invited, name="share-invited"),
    path("sharing/<uuid:public_id>/cancel/", sharing.share_cancel, name="share-cancel"),
    path("sharing/<uuid:public_id>/revoke/", sharing.share_revoke, name="share-revoke"),
    path("sharing/<uuid:public_id>/scope/", sharing.share_scope, name="share-scope"),
    path("sharing/<int:pk>/scope/", sharing.share_moved, name="share-moved"),
    path("invitations/<str:token>/", sharing.invitation, name="invitation"),
    path("clients/", sharing.clients, name="clients"),
    # Your data, from Settings.
    path("data/export/json/", data.export_json, name="data-export"),
    path("data/export/csv/", data.export_csv, name="data-export-csv"),
    path("data/import/", data.import_file, name="data-import"),
    path("account/delete/", data.delete_account, name="account-delete"),
    path("account/deleted/", data.account_deleted, name="account-deleted"),
]
