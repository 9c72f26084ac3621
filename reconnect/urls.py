from django.contrib import admin
from django.urls import include, path

from journal.views import accounts, entries, reviews

urlpatterns = [
    path("", entries.home, name="home"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("welcome/", accounts.onboarding, name="onboarding"),
    path("profile/", accounts.profile, name="profile"),
    path("reminders/stop/<str:token>/", reviews.reminders_stop, name="reminders-stop"),
    path("journal/", include("journal.urls")),
    path("guidance/", include("guidance.urls")),
    path("admin/", admin.site.urls),
]
