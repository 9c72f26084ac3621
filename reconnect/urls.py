from django.contrib import admin
from django.urls import include, path

from guidance import urls as guidance_urls
from journal import urls as journal_urls
from journal.accounts import views as accounts
from journal.reports import views as reports
from journal.views import entries

# A counselor reads a client's journal on the owner's own pages, under the share:
# "client:journal:trends" is "journal:trends" of the client's journal.
client_pages = [
    path("", include((journal_urls.pages, "journal"))),
    path("guidance/", include((guidance_urls.urlpatterns, "guidance"))),
]

urlpatterns = [
    path("", entries.home, name="home"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("welcome/", accounts.onboarding, name="onboarding"),
    path("profile/", accounts.profile, name="profile"),
    path("reminders/stop/<str:token>/", reports.reminders_stop, name="reminders-stop"),
    path("journal/clients/<int:share_id>/", include((client_pages, "client"))),
    path("journal/", include("journal.urls")),
    path("guidance/", include("guidance.urls")),
    path("admin/", admin.site.urls),
]
