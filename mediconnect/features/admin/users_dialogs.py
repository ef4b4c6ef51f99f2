"""The dialogs of /admin/users/: confirm (de)activation, change role, create a staff account."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.admin.affiliations_state import AffiliationsState
from mediconnect.features.admin.create_state import CreateStaffState
from mediconnect.features.admin.users_state import STAFF_ROLE_OPTIONS, AdminUsersState
from mediconnect.features.kit.fields import choice, form_field, labelled
from mediconnect.features.kit.notices import error_text, form_alert

S = AdminUsersState
C = CreateStaffState
DIALOG_WIDTH = "min(36em, calc(100vw - 2em))"


def _grid(*children: rx.Component) -> rx.Component:
    return rx.grid(*children, columns=rx.breakpoints(initial="1", xs="2"), spacing="3", width="100%")


def _buttons(*children: rx.Component) -> rx.Component:
    return rx.flex(*children, spacing="2", justify="end", wrap="wrap", width="100%", margin_top="0.5em")


def _cancel(label: str = "Cancel") -> rx.Component:
    return rx.dialog.close(rx.button(label, type="button", variant="soft", color_scheme="gray", size="3"))


# --------------------------------------------------------------------------- confirm


def confirm_dialog() -> rx.Component:
    deactivating = S.confirm_action == "deactivate"
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(rx.cond(deactivating, "Deactivate ", "Reactivate "), S.confirm_name, "?"),
            rx.alert_dialog.description(
                rx.cond(
                    deactivating,
                    "They are signed out everywhere at once, their API tokens stop working, and they "
                    "cannot sign in until an administrator reactivates the account.",
                    "They can sign in again. Tokens issued before the deactivation stay invalid.",
                ),
                size="3",
            ),
            _buttons(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray", size="3")),
                rx.button(
                    rx.cond(deactivating, "Deactivate", "Reactivate"),
                    color_scheme=rx.cond(deactivating, "red", "teal"),
                    size="3",
                    loading=S.busy,
                    on_click=S.confirm,
                    data_testid="confirm-action",
                ),
            ),
            max_width=DIALOG_WIDTH,
        ),
        open=S.confirm_open,
        on_open_change=S.set_confirm_open,
    )


# --------------------------------------------------------------------------- change role


def _doctor_fields(errors: rx.Var, note: str) -> rx.Component:
    return rx.vstack(
        rx.text(note, size="2", color=rx.color("gray", 11)),
        _grid(
            form_field(
                "Specialisation", "specialization", errors=errors, max_length=80, placeholder="Radiology"
            ),
            form_field(
                "Licence number", "license_number", errors=errors, max_length=40, placeholder="MP0123456"
            ),
        ),
        spacing="2",
        width="100%",
    )


def role_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Change role: ", S.role_name),
            rx.dialog.description(
                "Currently ",
                S.role_current,
                ". They are signed out and sign in again with the new role's access.",
                size="2",
            ),
            rx.form(
                rx.vstack(
                    labelled(
                        "New role",
                        choice(
                            id_="new-role",
                            value=S.role_choice,
                            on_change=S.set_role_choice,
                            options=STAFF_ROLE_OPTIONS,
                            label="New role",
                        ),
                        html_for="new-role",
                    ),
                    error_text(S.role_errors["role"].to(str), name="role"),
                    error_text(S.role_errors["form"].to(str), name="role-form"),
                    rx.cond(
                        S.role_choice == "doctor",
                        _doctor_fields(S.role_errors, "Needed when they have no doctor record yet."),
                    ),
                    _buttons(_cancel(), rx.button("Save role", type="submit", size="3")),
                    spacing="3",
                    width="100%",
                    margin_top="0.75em",
                ),
                on_submit=S.save_role,
                no_validate=True,
                aria_label="Change role",
            ),
            max_width=DIALOG_WIDTH,
        ),
        open=S.role_open,
        on_open_change=S.set_role_open,
    )


# --------------------------------------------------------------------------- create staff


def _create_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            form_alert(C.errors["form"].to(str), test_id="create-error"),
            labelled(
                "Role",
                choice(
                    id_="staff-role",
                    value=C.role,
                    on_change=C.set_role,
                    options=STAFF_ROLE_OPTIONS,
                    label="Role",
                ),
                html_for="staff-role",
            ),
            error_text(C.errors["role"].to(str), name="role"),
            _grid(
                form_field("First name", "first_name", errors=C.errors, max_length=80, autocomplete="off"),
                form_field("Last name", "last_name", errors=C.errors, max_length=80, autocomplete="off"),
                form_field("Email", "email", errors=C.errors, type_="email", autocomplete="off"),
                form_field(
                    "Mobile phone (optional)", "phone", errors=C.errors, type_="tel", autocomplete="off"
                ),
            ),
            rx.cond(
                C.role == "doctor",
                rx.vstack(
                    _doctor_fields(C.errors, "Doctors need their specialisation and licence number."),
                    rx.el.label(
                        rx.hstack(
                            rx.checkbox(checked=C.radiologist, on_change=C.set_radiologist),
                            rx.text("Radiologist (reports on scans)", size="2"),
                            spacing="2",
                            align="center",
                        ),
                    ),
                    spacing="2",
                    width="100%",
                ),
            ),
            rx.vstack(
                rx.text("First sign-in", weight="medium", size="2"),
                rx.radio_group.root(
                    rx.vstack(
                        rx.radio_group.item("Temporary password, shown to you once", value="temporary"),
                        rx.radio_group.item("Email them a link to choose a password", value="email"),
                        spacing="1",
                    ),
                    value=C.mode,
                    on_change=C.set_mode,
                    aria_label="First sign-in",
                    size="2",
                ),
                error_text(C.errors["send_reset_link"].to(str), name="send_reset_link"),
                spacing="1",
                width="100%",
            ),
            _buttons(_cancel(), rx.button("Create account", type="submit", size="3", loading=C.saving)),
            spacing="3",
            width="100%",
            margin_top="0.75em",
        ),
        key=C.version.to_string(),
        on_submit=C.submit,
        no_validate=True,
        aria_label="New staff account",
    )


def _created() -> rx.Component:
    return rx.vstack(
        rx.callout(
            rx.text(
                "Account created for ",
                rx.text(C.created_name, as_="span", weight="bold"),
                " (",
                C.created_email,
                ").",
            ),
            icon="circle-check",
            color_scheme="teal",
            width="100%",
            data_testid="create-done",
        ),
        rx.cond(
            C.created_password,
            rx.vstack(
                rx.text("Temporary password", weight="medium", size="2"),
                rx.code(C.created_password, size="5", variant="outline", data_testid="temp-password"),
                rx.text(
                    "Hand it over in person or by phone. It is shown only now; they can change it on "
                    "their profile page after signing in.",
                    size="2",
                    color=rx.color("gray", 11),
                ),
                spacing="2",
                width="100%",
            ),
            rx.text(
                "A link to choose a password was emailed to them; it works once, for 30 minutes.",
                size="2",
            ),
        ),
        _buttons(
            rx.dialog.close(
                rx.button(
                    "Clinics and assignments",
                    variant="soft",
                    size="3",
                    on_click=AffiliationsState.open_for(C.created_user_id),
                )
            ),
            _cancel("Done"),
        ),
        spacing="3",
        width="100%",
        margin_top="0.75em",
    )


def create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("New staff account"),
            rx.dialog.description(
                "Doctors, clinic, billing and analytics staff, and administrators. Patients and "
                "referring doctors register themselves.",
                size="2",
            ),
            rx.cond(C.created_email, _created(), _create_form()),
            max_width=DIALOG_WIDTH,
        ),
        open=C.open,
        on_open_change=C.set_open,
    )
