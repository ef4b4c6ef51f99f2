"""The "Clinics and assignments" dialog of /admin/users/."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.admin.affiliations_state import AffiliationsState
from mediconnect.features.kit.fields import choice, labelled
from mediconnect.features.kit.notices import error_text, form_alert

A = AffiliationsState


def _row(row: rx.Var) -> rx.Component:
    confirming = A.pending_remove == row["key"]
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.text(rx.cond(row["clinic"], row["clinic"], row["doctor"]), weight="medium", size="2"),
                rx.cond(row["clinic"] & row["doctor"], rx.text(row["doctor"], size="1")),
                spacing="0",
            )
        ),
        rx.table.cell(
            rx.hstack(
                rx.text(row["role"], size="2"),
                rx.cond(row["is_primary"], rx.badge("Primary", color_scheme="teal", variant="soft")),
                spacing="2",
                align="center",
                wrap="wrap",
            )
        ),
        rx.table.cell(rx.text(row["since"], size="1", color=rx.color("gray", 11)), white_space="nowrap"),
        rx.table.cell(
            rx.cond(
                confirming,
                rx.hstack(
                    rx.button("Confirm remove", color_scheme="red", size="1", on_click=A.remove),
                    rx.button(
                        "Keep", variant="soft", color_scheme="gray", size="1", on_click=A.cancel_remove
                    ),
                    spacing="1",
                ),
                rx.button(
                    "Remove",
                    variant="soft",
                    color_scheme="red",
                    size="1",
                    on_click=A.ask_remove(row["key"]),
                    aria_label="Remove " + row["clinic"].to(str) + row["doctor"].to(str),
                ),
            ),
            white_space="nowrap",
        ),
        align="center",
        data_testid="affiliation-row",
    )


def _current() -> rx.Component:
    return rx.cond(
        A.rows.length() > 0,
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Where"),
                        rx.table.column_header_cell("Role"),
                        rx.table.column_header_cell("Since"),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(A.rows, _row)),
                size="1",
                variant="surface",
                min_width="30em",
            ),
            overflow_x="auto",
            width="100%",
        ),
        rx.text("None yet.", size="2", color=rx.color("gray", 11), data_testid="no-affiliations"),
    )


def _add_clinic() -> rx.Component:
    return rx.vstack(
        rx.heading("Add a clinic", as_="h3", size="3"),
        rx.grid(
            labelled(
                "Clinic",
                choice(
                    id_="aff-clinic",
                    value=A.clinic_choice,
                    on_change=A.set_clinic_choice,
                    options=A.clinics,
                    placeholder="Choose a clinic",
                    label="Clinic",
                ),
                html_for="aff-clinic",
            ),
            labelled(
                "Role there",
                choice(
                    id_="aff-role",
                    value=A.clinic_role,
                    on_change=A.set_clinic_role,
                    options=A.role_choices,
                    label="Role there",
                ),
                html_for="aff-role",
            ),
            columns=rx.breakpoints(initial="1", xs="2"),
            spacing="3",
            width="100%",
        ),
        error_text(A.errors["clinic_id"].to(str), name="clinic_id"),
        error_text(A.errors["clinic_role"].to(str), name="clinic_role"),
        rx.flex(
            rx.cond(
                A.kind == "doctor",
                rx.el.label(
                    rx.hstack(
                        rx.checkbox(checked=A.primary, on_change=A.set_primary),
                        rx.text("Primary clinic", size="2"),
                        spacing="2",
                        align="center",
                    )
                ),
            ),
            rx.spacer(),
            rx.button("Add clinic", size="2", on_click=A.add_clinic, loading=A.saving),
            align="center",
            spacing="2",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def _add_doctor() -> rx.Component:
    return rx.vstack(
        rx.heading("Assign to a doctor's accounts", as_="h3", size="3"),
        labelled(
            "Doctor",
            choice(
                id_="aff-doctor",
                value=A.doctor_choice,
                on_change=A.set_doctor_choice,
                options=A.doctors,
                placeholder="Choose a doctor",
                label="Doctor",
            ),
            html_for="aff-doctor",
        ),
        error_text(A.errors["doctor_id"].to(str), name="doctor_id"),
        rx.flex(
            rx.button("Assign doctor", size="2", on_click=A.add_doctor, loading=A.saving),
            justify="end",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def affiliations_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Clinics and assignments"),
            rx.dialog.description(A.name, " · ", A.role_label, size="2"),
            rx.vstack(
                form_alert(A.notice, kind="success", test_id="affiliations-notice"),
                form_alert(A.errors["form"].to(str), test_id="affiliations-error"),
                rx.cond(
                    A.kind == "none",
                    rx.text(
                        A.role_label,
                        " accounts are not tied to clinics.",
                        size="2",
                        data_testid="no-affiliations",
                    ),
                    rx.vstack(
                        _current(),
                        rx.separator(size="4"),
                        _add_clinic(),
                        rx.cond(
                            A.takes_doctors, rx.vstack(rx.separator(size="4"), _add_doctor(), width="100%")
                        ),
                        spacing="3",
                        width="100%",
                    ),
                ),
                rx.flex(
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray", size="3")),
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                width="100%",
                margin_top="0.75em",
            ),
            max_width="min(44em, calc(100vw - 2em))",
        ),
        open=A.open,
        on_open_change=A.set_open,
    )
