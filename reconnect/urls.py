from django.contrib import admin
from django.urls import include, path, re_path

from guidance import urls as guidance_urls
from guidance import views as guidance_views
from journal import urls as journal_urls
from journal.accounts import views as accounts
from journal.reports import views as reports
from journal.sharing import views as sharing
from journal.views import entries, offline

# A counselor reads a client's journal on the owner's own pages, under the share:
# "client:journal:trends" is "journal:trends" of the client's journal.
client_pages = [
    path("", include((journal_urls.pages, "journal"))),
    path("guidance/", include((guidance_urls.pages, "guidance"))),
]

urlpatterns = [
    path("", entries.home, name="home"),
    # Removing a passkey asks the MFA adapter first, as turning off the app does.
    path(
        "accounts/2fa/webauthn/keys/<int:pk>/remove/",
        accounts.RemovePasskey.as_view(),
        name="mfa_remove_webauthn",
    ),
    path("accounts/", include("allauth.urls")),
    path("welcome/", accounts.onboarding, name="onboarding"),
    path("profile/", accounts.profile, name="profile"),
    path("profile/devices/<int:pk>/end/", accounts.device_end, name="device-end"),
    path("profile/devices/end-others/", accounts.devices_end_others, name="devices-end-others"),
    path("lock/", accounts.lock, name="lock"),
    path("lock/now/", accounts.lock_now, name="lock-now"),
    path("lock/hide/", accounts.hide, name="hide"),
    path("blank/", accounts.blank, name="blank"),
    # The service worker, at the root so that it looks after every page, and the
    # page it shows without a connection.
    path("sw.js", offline.service_worker, name="service-worker"),
    path("offline/", offline.offline, name="offline"),
    path("support/", guidance_views.support, name="support"),
    path("reminders/stop/<str:token>/", reports.reminders_stop, name="reminders-stop"),
    path("journal/clients/<uuid:share_id>/", include((client_pages, "client"))),
    # A client's journal at its address from before shares had public ids.
    re_path(
        r"^journal/clients/(?P<pk>[0-9]{1,18})/(?P<then>[a-z0-9/-]*)$",
        sharing.client_moved,
        name="client-moved",
    ),
    path("journal/", include("journal.urls")),
    path("guidance/", include("guidance.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "reconnect.errors.server_error"
