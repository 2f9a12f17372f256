"""Shown on a form: the ValidationError a service raised."""

from django.core.exceptions import ValidationError


def add_service_error(form, exc: ValidationError) -> None:
    """Each message on its field if the form has that field, else at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
