"""The demo patient's visits, placed by the scheduler and staffed by the roster."""

from __future__ import annotations

# The demo patient's visits: (day offset, lane kind, service, doctor, earliest minute, referred by demo GP)
DEMO_PINS = (
    (-200, "img:xray", "XR-CHEST", 0, 540, True),
    (-120, "img:mri", "MR-LSPINE", 0, 600, True),
    (-60, "gp", "CON-GP-STD", 1, 540, False),
    (-30, "img:ultrasound", "US-ABDO", 0, 480, True),
    (-21, "gp", "CON-GP-FU", 1, 660, False),
    (-4, "img:ct", "CT-CHEST", 0, 540, True),
    (5, "gp", "CON-GP-FU", 1, 600, False),
    (12, "img:mammography", "MG-SCREEN", 0, 540, False),
)
