"""The email settings come from the environment (a fresh process, since settings are read at start-up)."""

import json
import os
import subprocess
import sys

PRINT = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps("
         "[s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, "
         "s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT, s.DEFAULT_FROM_EMAIL]))")


def _settings(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("LEXBILL_") and k != "DATABASE_URL"}
    base.update(DJANGO_SETTINGS_MODULE="lexbill.config.settings", LEXBILL_HOME=str(tmp_path), **env)
    done = subprocess.run([sys.executable, "-c", PRINT], env=base, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_smtp_on_localhost_by_default(tmp_path):
    assert _settings(tmp_path) == ["django.core.mail.backends.smtp.EmailBackend", "localhost", 25, "", "", False,
                                   False, 30, "billing@localhost"]


def test_every_email_setting_comes_from_the_environment(tmp_path):
    assert _settings(tmp_path, LEXBILL_SMTP_HOST="smtp.example.net", LEXBILL_SMTP_PORT="587",
                     LEXBILL_SMTP_USER="lexbill", LEXBILL_SMTP_PASSWORD="s3cret", LEXBILL_SMTP_TLS="true",
                     LEXBILL_SMTP_TIMEOUT="5", LEXBILL_FROM_EMAIL="billing@arnsley.example",
                     LEXBILL_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend") == [
        "django.core.mail.backends.console.EmailBackend", "smtp.example.net", 587, "lexbill", "s3cret", True, False,
        5, "billing@arnsley.example"]
