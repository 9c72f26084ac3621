from django.urls import path

from guidance import messages, views

app_name = "guidance"

# The guidance of a journal: served to its owner here, and read-only to a counselor
# under clients/<share_id>/guidance/ (reconnect/urls.py).
pages = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.principle, name="principle"),
]

urlpatterns = [
    # The person's own only: never under a counselor's clients/<share_id>/.
    path("check/", messages.message_check, name="message-check"),
    path("check/sent/", messages.message_sent, name="message-sent"),
    path("unsent/", messages.unsent_list, name="unsent-list"),
    path("unsent/keep/", messages.unsent_save, name="unsent-save"),
    path("unsent/<uuid:public_id>/delete/", messages.unsent_delete, name="unsent-delete"),
    *pages,
]
