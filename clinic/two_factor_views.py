"""Pages of two-factor sign-in: the second step after the password, the set-up, the recovery codes
shown once, and the user's own "Two-factor sign-in" page. Writes are in clinic.two_factor."""

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from clinic import two_factor
from clinic.permissions import role_required
from clinic.redirects import same_site_path


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code from the app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = two_factor.normalise_code(self.cleaned_data["code"])
        if len(code) != 6 or not code.isdigit():
            raise ValidationError(_("Enter the 6 digits your app shows, without letters."))
        return code


class SavedCodesForm(forms.Form):
    saved = forms.BooleanField(
        label=gettext_lazy("I have saved these recovery codes somewhere safe"),
        error_messages={"required": gettext_lazy("Tick the box once you have saved the codes.")},
    )


def _next_url(request) -> str:
    return same_site_path(request.POST.get("next") or request.GET.get("next") or "") or ""


def _gated(request) -> bool:
    """True while the user may reach nothing but these pages (the bar then shows only Sign out)."""
    return not request.user.is_verified() and two_factor.two_factor_required(request.membership)


@role_required()
def overview(request):
    device = two_factor.confirmed_totp_device(request.user)
    context = {
        "device": device,
        "required": two_factor.two_factor_required(request.membership),
        "role_requires": request.membership.role in two_factor.REQUIRED_ROLES,
        "codes_left": two_factor.recovery_codes_left(request.user) if device else 0,
    }
    return render(request, "clinic/two_factor/overview.html", context)


@two_factor.two_factor_exempt
@never_cache
@role_required()
def verify(request):
    if request.user.is_verified() or not request.membership.has_two_factor:
        return redirect(_next_url(request) or "home")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device, error = two_factor.two_factor_verify(
            actor=request.user, code=form.cleaned_data["code"], request=request
        )
        if device is None:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; it no longer works. %(left)d left. "
                        "Make new ones under Two-factor sign-in if you are running out."
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request) or "home")
    return render(request, "clinic/two_factor/verify.html", {"form": form, "next": _next_url(request)})


@two_factor.two_factor_exempt
@never_cache
@role_required()
def enrol(request):
    if request.membership.has_two_factor:
        messages.info(request, _("Two-factor sign-in is already on for your account."))
        return redirect("clinic:two-factor")
    device = two_factor.totp_device_pending(actor=request.user)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        confirmed, codes, error = two_factor.two_factor_enrol(
            actor=request.user, code=form.cleaned_data["code"], request=request
        )
        if confirmed is None:
            form.add_error("code", error)
        else:
            otp_login(request, confirmed)
            request.session[two_factor.NEW_CODES_SESSION_KEY] = codes
            request.session["two_factor_next"] = _next_url(request)
            return redirect("clinic:two-factor-codes")
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_data_uri": qr.svg_data_uri(scale=5, border=2, dark="#000", light="#fff"),
        "qr_size": qr.symbol_size(scale=5, border=2)[0],
        "secret": two_factor.secret_for_display(device),
        "required": two_factor.two_factor_required(request.membership),
        "gated": _gated(request),
        "next": _next_url(request),
    }
    return render(request, "clinic/two_factor/enrol.html", context)


@two_factor.two_factor_exempt
@never_cache
@role_required()
def recovery_codes(request):
    codes = request.session.get(two_factor.NEW_CODES_SESSION_KEY)
    if not codes:
        return redirect("clinic:two-factor")
    form = SavedCodesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        del request.session[two_factor.NEW_CODES_SESSION_KEY]
        messages.success(request, _("Two-factor sign-in is on. Keep your recovery codes safe."))
        return redirect(request.session.pop("two_factor_next", "") or "clinic:two-factor")
    return render(request, "clinic/two_factor/recovery_codes.html", {"form": form, "codes": codes})


@require_POST
@role_required()
def renew_codes(request):
    try:
        codes = two_factor.recovery_codes_renew(actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("clinic:two-factor")
    request.session[two_factor.NEW_CODES_SESSION_KEY] = codes
    return redirect("clinic:two-factor-codes")


@require_POST
@role_required()
def remove(request):
    replacing = request.POST.get("replace") == "1"
    try:
        two_factor.two_factor_remove(actor=request.user, replacing=replacing, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("clinic:two-factor")
    if replacing:
        return redirect("clinic:two-factor-enrol")
    messages.success(request, _("Two-factor sign-in is off. You can turn it on again here at any time."))
    return redirect("clinic:two-factor")
