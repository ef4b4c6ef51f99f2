"""Sign-in pages: /login/, /register/, /logout/, /password-reset/ and /password-reset/[token]/."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.auth.state import (
    LoginState,
    RegisterState,
    ResetFinishState,
    ResetRequestState,
)
from mediconnect.features.kit.fields import form_field, submit_button
from mediconnect.features.kit.layout import centred_card, text_link
from mediconnect.features.kit.notices import form_alert
from mediconnect.features.shell.state import SessionState
from mediconnect.features.shell.template import page
from mediconnect.models.users import Role

PASSWORD_HINT = "At least 10 characters, mixing letters with digits or symbols."


def _two_columns(*children: rx.Component) -> rx.Component:
    return rx.grid(*children, columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%")


# --------------------------------------------------------------------------- /login/


def _sso_button() -> rx.Component:
    """Shown only when an OpenID Connect provider is configured (LoginState.sso_label)."""
    return rx.vstack(
        rx.flex(
            rx.separator(size="4", flex="1"),
            rx.text("or", size="2", color=rx.color("gray", 10)),
            rx.separator(size="4", flex="1"),
            align="center",
            gap="3",
            width="100%",
        ),
        rx.button(
            rx.icon("key-round", size=18),
            "Sign in with ",
            LoginState.sso_label,
            type="button",
            size="3",
            variant="outline",
            width="100%",
            on_click=LoginState.start_sso,
            data_testid="sso-button",
        ),
        spacing="4",
        width="100%",
    )


@page(route="/login/", title="Sign in", on_load=LoginState.load)
def login() -> rx.Component:
    return centred_card(
        "Sign in",
        "Welcome back. Sign in to see your appointments, reports and dashboards.",
        rx.cond(
            LoginState.notice_kind == "success",
            form_alert(LoginState.notice, kind="success", test_id="login-notice"),
            form_alert(LoginState.notice, kind="info", test_id="login-notice"),
        ),
        form_alert(LoginState.form_error, test_id="login-error"),
        rx.form(
            rx.vstack(
                form_field(
                    "Email",
                    "email",
                    errors=LoginState.errors,
                    type_="email",
                    autocomplete="username",
                    default_value=LoginState.email,
                    placeholder="name@example.com",
                ),
                form_field(
                    "Password",
                    "password",
                    errors=LoginState.errors,
                    type_="password",
                    autocomplete="current-password",
                ),
                rx.flex(text_link("Forgot your password?", "/password-reset/"), justify="end", width="100%"),
                submit_button("Sign in", loading=LoginState.submitting),
                spacing="4",
                width="100%",
            ),
            on_submit=LoginState.submit,
            width="100%",
            no_validate=True,
            aria_label="Sign in",
        ),
        rx.cond(LoginState.sso_label != "", _sso_button()),
        rx.separator(size="4"),
        rx.text(
            "New to MediConnect? ",
            text_link("Create an account", "/register/"),
            size="2",
            color=rx.color("gray", 11),
        ),
    )


# --------------------------------------------------------------------------- /register/


def _role_choice() -> rx.Component:
    def card(value: str, icon: str, title: str, text: str) -> rx.Component:
        return rx.radio_cards.item(
            rx.hstack(
                rx.icon(icon, size=22, color=rx.color("accent", 11), flex_shrink="0"),
                rx.vstack(
                    rx.text(title, weight="bold", size="3"),
                    rx.text(text, size="2", color=rx.color("gray", 11)),
                    spacing="0",
                    align="start",
                ),
                align="center",
                spacing="3",
                width="100%",
            ),
            value=value,
            aria_label=title,
        )

    return rx.vstack(
        rx.text("I am registering as", weight="medium", size="2", id="role-label"),
        rx.radio_cards.root(
            card(Role.PATIENT.value, "user-round", "Patient", "Book scans, see reports and payments."),
            card(
                Role.REFERRING_DOCTOR.value,
                "stethoscope",
                "Referring doctor",
                "Refer patients and read their reports.",
            ),
            value=RegisterState.role,
            on_value_change=RegisterState.set_role,
            columns=rx.breakpoints(initial="1", sm="2"),
            width="100%",
            aria_labelledby="role-label",
        ),
        rx.text(
            "Clinic and practice staff accounts are created by an administrator.",
            size="1",
            color=rx.color("gray", 10),
        ),
        spacing="2",
        width="100%",
    )


def _patient_fields() -> rx.Component:
    return _two_columns(
        form_field(
            "Date of birth",
            "date_of_birth",
            errors=RegisterState.errors,
            type_="date",
            autocomplete="bday",
            required=True,
        ),
        rx.box(),
    )


def _doctor_fields() -> rx.Component:
    return rx.vstack(
        _two_columns(
            form_field(
                "Practice name",
                "practice_name",
                errors=RegisterState.errors,
                autocomplete="organization",
                required=True,
                max_length=120,
            ),
            form_field(
                "Practice number",
                "practice_number",
                errors=RegisterState.errors,
                required=True,
                max_length=40,
                hint="Your practice number as registered with the council.",
            ),
        ),
        form_field(
            "Specialisation",
            "specialization",
            errors=RegisterState.errors,
            placeholder="e.g. General practice",
            max_length=80,
        ),
        spacing="4",
        width="100%",
    )


@page(route="/register/", title="Create an account", on_load=RegisterState.load)
def register() -> rx.Component:
    return centred_card(
        "Create an account",
        "Patients and referring doctors can sign up here in a minute.",
        form_alert(RegisterState.errors["form"].to(str), test_id="register-error"),
        rx.form(
            rx.vstack(
                _role_choice(),
                _two_columns(
                    form_field(
                        "First name",
                        "first_name",
                        errors=RegisterState.errors,
                        autocomplete="given-name",
                        required=True,
                        max_length=80,
                    ),
                    form_field(
                        "Last name",
                        "last_name",
                        errors=RegisterState.errors,
                        autocomplete="family-name",
                        required=True,
                        max_length=80,
                    ),
                ),
                _two_columns(
                    form_field(
                        "Email",
                        "email",
                        errors=RegisterState.errors,
                        type_="email",
                        autocomplete="email",
                        required=True,
                        placeholder="name@example.com",
                    ),
                    form_field(
                        "Mobile phone",
                        "phone",
                        errors=RegisterState.errors,
                        type_="tel",
                        autocomplete="tel",
                        placeholder="+27 82 555 0123",
                        hint="Optional; for SMS reminders.",
                    ),
                ),
                rx.cond(RegisterState.role == Role.PATIENT.value, _patient_fields(), _doctor_fields()),
                _two_columns(
                    form_field(
                        "Password",
                        "password",
                        errors=RegisterState.errors,
                        type_="password",
                        autocomplete="new-password",
                        required=True,
                        hint=PASSWORD_HINT,
                    ),
                    form_field(
                        "Repeat the password",
                        "confirm_password",
                        errors=RegisterState.errors,
                        type_="password",
                        autocomplete="new-password",
                        required=True,
                    ),
                ),
                submit_button("Create account", loading=RegisterState.submitting),
                spacing="5",
                width="100%",
            ),
            on_submit=RegisterState.submit,
            width="100%",
            no_validate=True,
            aria_label="Create an account",
        ),
        rx.separator(size="4"),
        rx.text(
            "Already have an account? ",
            text_link("Sign in", "/login/"),
            size="2",
            color=rx.color("gray", 11),
        ),
        width="46em",
    )


# --------------------------------------------------------------------------- /logout/


@page(route="/logout/", title="Signed out", on_load=SessionState.sign_out)
def logout() -> rx.Component:
    return centred_card(
        "You are signed out",
        "Your session has ended on this device. Close the tab if you are on a shared computer.",
        rx.hstack(
            rx.link(rx.button("Sign in again", size="3"), href="/login/", underline="none"),
            rx.link(rx.button("Home page", size="3", variant="soft"), href="/", underline="none"),
            spacing="3",
            wrap="wrap",
        ),
    )


# --------------------------------------------------------------------------- password reset


@page(route="/password-reset/", title="Reset your password", on_load=ResetRequestState.load)
def password_reset_request() -> rx.Component:
    return centred_card(
        "Reset your password",
        "Enter the email address of your account and we will send you a link to choose a new password.",
        rx.cond(
            ResetRequestState.sent_to,
            rx.vstack(
                rx.callout(
                    rx.text(
                        "If an account exists for ",
                        rx.text(ResetRequestState.sent_to, as_="span", weight="bold"),
                        ", we have sent it a link. The link works once, for 30 minutes. "
                        "Check your spam folder if nothing arrives.",
                    ),
                    icon="mail-check",
                    color_scheme="teal",
                    role="status",
                    data_testid="reset-sent",
                ),
                text_link("Back to sign in", "/login/"),
                spacing="4",
                width="100%",
            ),
            rx.vstack(
                form_alert(ResetRequestState.form_error, test_id="reset-error"),
                rx.form(
                    rx.vstack(
                        form_field(
                            "Email",
                            "email",
                            errors=ResetRequestState.errors,
                            type_="email",
                            autocomplete="email",
                            placeholder="name@example.com",
                        ),
                        submit_button("Send the link", loading=ResetRequestState.submitting),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=ResetRequestState.submit,
                    width="100%",
                    no_validate=True,
                    aria_label="Request a password reset link",
                ),
                text_link("Back to sign in", "/login/"),
                spacing="4",
                width="100%",
            ),
        ),
    )


@page(route="/password-reset/[token]/", title="Choose a new password", on_load=ResetFinishState.load)
def password_reset_finish() -> rx.Component:
    return centred_card(
        "Choose a new password",
        "Your new password replaces the old one and signs you out on every other device.",
        rx.cond(
            ~ResetFinishState.checked,
            rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
            rx.cond(
                ResetFinishState.link_error,
                rx.vstack(
                    form_alert(ResetFinishState.link_error, test_id="reset-link-error"),
                    rx.link(
                        rx.button("Ask for a new link", size="3"), href="/password-reset/", underline="none"
                    ),
                    spacing="4",
                    width="100%",
                ),
                rx.form(
                    rx.vstack(
                        form_field(
                            "New password",
                            "password",
                            errors=ResetFinishState.errors,
                            type_="password",
                            autocomplete="new-password",
                            hint=PASSWORD_HINT,
                        ),
                        form_field(
                            "Repeat the new password",
                            "confirm_password",
                            errors=ResetFinishState.errors,
                            type_="password",
                            autocomplete="new-password",
                        ),
                        submit_button("Save the new password", loading=ResetFinishState.submitting),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=ResetFinishState.submit,
                    width="100%",
                    no_validate=True,
                    aria_label="Choose a new password",
                ),
            ),
        ),
    )
