"""/profile/: contact details, notification preferences, medical aid membership, password."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.auth.pages import PASSWORD_HINT
from mediconnect.features.kit.fields import form_field
from mediconnect.features.kit.layout import busy_spinner, section_card
from mediconnect.features.kit.notices import form_alert
from mediconnect.features.profile.state import ProfileState
from mediconnect.features.shell.template import ALL_ROLES, page

S = ProfileState


def _grid(*children: rx.Component) -> rx.Component:
    return rx.grid(*children, columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%")


def _save(label: str, section: str) -> rx.Component:
    return rx.flex(
        rx.button(label, type="submit", size="3", loading=S.saving == section),
        justify="end",
        width="100%",
    )


def _contact() -> rx.Component:
    return section_card(
        "Contact details",
        "How the clinic reaches you. Your email address is your sign-in name and cannot be changed here.",
        form_alert(S.contact_saved, kind="success", test_id="contact-saved"),
        form_alert(S.contact_errors["form"].to(str), test_id="contact-error"),
        rx.form(
            rx.vstack(
                _grid(
                    form_field(
                        "First name",
                        "first_name",
                        errors=S.contact_errors,
                        default_value=S.first_name,
                        autocomplete="given-name",
                        max_length=80,
                    ),
                    form_field(
                        "Last name",
                        "last_name",
                        errors=S.contact_errors,
                        default_value=S.last_name,
                        autocomplete="family-name",
                        max_length=80,
                    ),
                    form_field(
                        "Email",
                        "email_readonly",
                        errors=S.contact_errors,
                        default_value=S.email,
                        read_only=True,
                        variant="soft",
                        color_scheme="gray",
                    ),
                    form_field(
                        "Mobile phone",
                        "phone",
                        errors=S.contact_errors,
                        type_="tel",
                        default_value=S.phone,
                        autocomplete="tel",
                        placeholder="+27 82 555 0123",
                    ),
                ),
                rx.cond(
                    S.is_patient,
                    _grid(
                        form_field(
                            "Street address",
                            "address",
                            errors=S.contact_errors,
                            default_value=S.address,
                            autocomplete="street-address",
                            max_length=200,
                        ),
                        form_field(
                            "City",
                            "city",
                            errors=S.contact_errors,
                            default_value=S.city,
                            autocomplete="address-level2",
                            max_length=80,
                        ),
                        form_field(
                            "Emergency contact",
                            "emergency_contact",
                            errors=S.contact_errors,
                            default_value=S.emergency_contact,
                            placeholder="Name and phone number",
                            max_length=120,
                        ),
                    ),
                ),
                _save("Save contact details", "contact"),
                spacing="4",
                width="100%",
            ),
            key=S.version.to_string() + "-contact",
            on_submit=S.save_contact,
            no_validate=True,
            width="100%",
            aria_label="Contact details",
        ),
        test_id="profile-contact",
    )


def _switch_row(label: str, description: str, checked: rx.Var, on_change, test_id: str) -> rx.Component:  # type: ignore[no-untyped-def]
    return rx.el.label(
        rx.hstack(
            rx.vstack(
                rx.text(label, weight="medium", size="3"),
                rx.text(description, size="2", color=rx.color("gray", 11)),
                spacing="0",
                align="start",
            ),
            rx.spacer(),
            rx.switch(checked=checked, on_change=on_change, size="3", data_testid=test_id),
            align="center",
            width="100%",
            spacing="3",
        ),
        width="100%",
        style={"cursor": "pointer", "width": "100%"},
    )


def _notifications() -> rx.Component:
    return section_card(
        "Notifications",
        "How we tell you about bookings, reminders and reports that are ready.",
        form_alert(S.notify_saved, kind="success", test_id="notify-saved"),
        form_alert(S.notify_errors["notify_sms"].to(str), test_id="notify-error"),
        form_alert(S.notify_errors["form"].to(str), test_id="notify-form-error"),
        _switch_row(
            "Email",
            "Confirmations, reminders and report notices by email.",
            S.notify_email,
            S.set_notify_email,
            "notify-email",
        ),
        _switch_row(
            "SMS", "Short reminders to your mobile phone.", S.notify_sms, S.set_notify_sms, "notify-sms"
        ),
        rx.flex(
            rx.button("Save preferences", size="3", on_click=S.save_notifications),
            justify="end",
            width="100%",
        ),
        test_id="profile-notifications",
    )


def _medical_aid() -> rx.Component:
    return section_card(
        "Medical aid",
        "Your scheme and policy number let us show your cover and co-payment before you book.",
        form_alert(S.aid_saved, kind="success", test_id="aid-saved"),
        form_alert(S.aid_errors["form"].to(str), test_id="aid-error"),
        rx.form(
            rx.vstack(
                rx.vstack(
                    rx.el.label(
                        "Scheme",
                        html_for="scheme_code",
                        style={"fontWeight": "500", "fontSize": "var(--font-size-2)"},
                    ),
                    rx.select.root(
                        rx.select.trigger(
                            placeholder="Choose your medical aid", id="scheme_code", width="100%"
                        ),
                        rx.select.content(
                            rx.foreach(S.schemes, lambda s: rx.select.item(s["label"], value=s["value"])),
                        ),
                        value=S.scheme_code,
                        on_change=S.set_scheme_code,
                        size="3",
                    ),
                    rx.cond(
                        S.aid_errors["scheme_code"],
                        rx.text(
                            S.aid_errors["scheme_code"],
                            size="2",
                            color=rx.color("red", 11),
                            role="alert",
                            data_testid="scheme_code-error",
                        ),
                    ),
                    spacing="1",
                    width="100%",
                ),
                _grid(
                    form_field(
                        "Policy number",
                        "policy_number",
                        errors=S.aid_errors,
                        default_value=S.policy_number,
                        max_length=40,
                        placeholder="As on your card",
                    ),
                    form_field(
                        "Dependant code",
                        "dependant_code",
                        errors=S.aid_errors,
                        default_value=S.dependant_code,
                        max_length=4,
                        hint="00 if you are the main member.",
                    ),
                ),
                _save("Save medical aid", "aid"),
                spacing="4",
                width="100%",
            ),
            key=S.version.to_string() + "-aid",
            on_submit=S.save_medical_aid,
            no_validate=True,
            width="100%",
            aria_label="Medical aid",
        ),
        test_id="profile-medical-aid",
    )


def _password() -> rx.Component:
    return section_card(
        "Password",
        "Changing it signs you out on every other device.",
        form_alert(S.password_saved, kind="success", test_id="password-saved"),
        form_alert(S.password_errors["form"].to(str), test_id="password-error"),
        rx.form(
            rx.vstack(
                form_field(
                    "Current password",
                    "current_password",
                    errors=S.password_errors,
                    type_="password",
                    autocomplete="current-password",
                ),
                _grid(
                    form_field(
                        "New password",
                        "new_password",
                        errors=S.password_errors,
                        type_="password",
                        autocomplete="new-password",
                        hint=PASSWORD_HINT,
                    ),
                    form_field(
                        "Repeat the new password",
                        "confirm_new_password",
                        errors=S.password_errors,
                        type_="password",
                        autocomplete="new-password",
                    ),
                ),
                _save("Change password", "password"),
                spacing="4",
                width="100%",
            ),
            key=S.version.to_string() + "-password",
            on_submit=S.change_password,
            no_validate=True,
            width="100%",
            aria_label="Change password",
        ),
        test_id="profile-password",
    )


@page(route="/profile/", title="Your profile", roles=ALL_ROLES, on_load=ProfileState.load)
def profile() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(
            rx.vstack(
                rx.heading("Your profile", as_="h1", size="8", weight="bold"),
                rx.hstack(
                    rx.badge(S.role_label, size="2", radius="full"),
                    rx.text(S.email, size="3", color=rx.color("gray", 11)),
                    rx.cond(
                        S.is_patient,
                        rx.text("· born ", S.date_of_birth, size="3", color=rx.color("gray", 11)),
                    ),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                spacing="2",
            ),
            _contact(),
            _notifications(),
            rx.cond(S.is_patient, _medical_aid()),
            _password(),
            spacing="5",
            width="100%",
            max_width="960px",
            margin_x="auto",
            padding_y="1em",
        ),
        busy_spinner(),
    )
