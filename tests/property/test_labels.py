"""Every field of every form has its label in Spanish: a field whose label comes from a model field
without a verbose name, or from a label written in plain text, would stay in English."""

import re

import pytest
from django.utils import translation

from tests.property import test_cases_forms, test_clients_forms, test_clinic_forms

TARGETS = [*test_cases_forms.TARGETS, *test_clients_forms.TARGETS, *test_clinic_forms.TARGETS]
WORD = re.compile(r"[a-z]{3,}")
# The same word in both languages.
SAME_IN_SPANISH = {"Alias", "Email", "Total"}


def _labels(world, language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            f"{target.url_name} {type(form).__name__}.{name}": str(field.label or name)
            for target in TARGETS
            for form in target.forms(world)
            for name, field in form.fields.items()
            # A field without a label is hidden, or drawn as buttons the template names itself.
            if field.label is not None and not field.widget.is_hidden
        }


@pytest.mark.django_db
def test_every_form_field_has_a_spanish_label(world):
    english, spanish = _labels(world, "en"), _labels(world, "es")
    untranslated = sorted(
        f"{key}: {label}"
        for key, label in english.items()
        if spanish[key] == label and WORD.search(label) and label not in SAME_IN_SPANISH
    )
    assert untranslated == [], "\n".join(untranslated)
