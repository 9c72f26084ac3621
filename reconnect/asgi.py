import os

from django.core.asgi import get_asgi_application

from reconnect import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reconnect.settings")
application = get_asgi_application()

# A server never starts on an empty secret key.
settings.require_secret_key()
