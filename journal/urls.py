from django.urls import path

from journal.views import calendar, entries, trends

app_name = "journal"

urlpatterns = [
    path("", entries.entry_list, name="entry-list"),
    path("new/", entries.entry_create, name="entry-create"),
    path("quick/", entries.entry_quick, name="entry-quick"),
    path("<int:pk>/", entries.entry_detail, name="entry-detail"),
    path("<int:pk>/edit/", entries.entry_update, name="entry-update"),
    path("<int:pk>/delete/", entries.entry_delete, name="entry-delete"),
    path("trends/", trends.trends, name="trends"),
    path("calendar/", calendar.month, name="calendar"),
    path("calendar/<int:year>/<int:month>/", calendar.month, name="calendar-month"),
]
