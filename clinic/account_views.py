"""Django's password views, with each new password on the record (clinic.services.password_changed)."""

from django.contrib.auth import views as auth_views

from clinic import services


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, reset=False, request=self.request)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, reset=True, request=self.request)
        return response
