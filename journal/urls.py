import datetime

from django.urls import path, register_converter

from journal.views import calendar, entries, reviews, trends


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
    path("calendar/", calendar.month, name="calendar"),
    path("calendar/<int:year>/<int:month>/", calendar.month, name="calendar-month"),
]
