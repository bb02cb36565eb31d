"""`manage.py ensure_admin`: for local use only (called by `make run`).

Creates a superuser named `admin` with a generated password, printed once, if no such
account exists. There is never a fixed password, and production never runs this.
"""

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create a local 'admin' superuser with a random password, if none exists."

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write("Admin account 'admin' already exists (password unchanged).")
            return
        password = secrets.token_urlsafe(18)
        User.objects.create_superuser("admin", email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created admin account for http://127.0.0.1:8000/admin/\n"
                f"  username: admin\n  password: {password}\n"
                "This password is shown only once. Change it in the admin if you like."
            )
        )
