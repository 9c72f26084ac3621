import os

from django.core.wsgi import get_wsgi_application

from reconnect import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reconnect.settings")
application = get_wsgi_application()

# A server never starts on an empty secret key.
settings.require_secret_key()
