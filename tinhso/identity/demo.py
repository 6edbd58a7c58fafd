"""Demo accounts for the e-ID sandbox's fictitious citizens."""

from __future__ import annotations

import json
from pathlib import Path

from tinhso.accounts.models import User


def sandbox_people() -> list[dict]:
    """The sandbox identity provider's citizens (sandbox_citizens.json)."""
    path = Path(__file__).with_name("sandbox_citizens.json")
    return json.loads(path.read_text("utf-8")).get("citizens", [])


def sandbox_accounts() -> list[User]:
    """The sandbox's citizens as accounts: the same rows their e-ID sign-in
    finds by personal identification number, so that demo dossiers and
    reports belong to people who can sign in and see them."""
    people = []
    for person in sandbox_people():
        user = User.objects.filter(id_number=person["id_number"]).first()
        if user is None:
            user = User.objects.create(username=f"cccd-{person['id_number']}", id_number=person["id_number"],
                                       is_citizen=True, full_name=person["full_name"], phone=person.get("phone", ""),
                                       email=person.get("email", ""))
            user.set_unusable_password()
            user.save(update_fields=["password"])
        people.append(user)
    return people
