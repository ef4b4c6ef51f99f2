"""Operational vocabularies: streets, equipment models, events, feedback comments, tickets,
notes, user agents, messages and safety events."""

from __future__ import annotations

STREETS = (
    "Oxford Road",
    "Jan Smuts Avenue",
    "Main Road",
    "Church Street",
    "Long Street",
    "Voortrekker Road",
    "Musgrave Road",
    "Florida Road",
    "Beach Road",
    "Nelson Mandela Drive",
    "Victoria Street",
    "Park Lane",
    "Rivonia Road",
    "Beyers Naude Drive",
    "Govan Mbeki Avenue",
    "Kloof Street",
    "Umhlanga Rocks Drive",
)

EQUIPMENT_MODELS: dict[str, tuple[tuple[str, str], ...]] = {
    "xray": (
        ("Siemens Healthineers", "Ysio Max"),
        ("Philips", "DigitalDiagnost C90"),
        ("Fujifilm", "FDR Visionary"),
    ),
    "ct": (
        ("Siemens Healthineers", "SOMATOM go.Up"),
        ("GE HealthCare", "Revolution EVO"),
        ("Canon Medical", "Aquilion Lightning"),
    ),
    "mri": (
        ("Siemens Healthineers", "MAGNETOM Sola 1.5T"),
        ("GE HealthCare", "SIGNA Explorer 1.5T"),
        ("Philips", "Ingenia 1.5T"),
    ),
    "ultrasound": (
        ("GE HealthCare", "LOGIQ E10"),
        ("Philips", "EPIQ Elite"),
        ("Canon Medical", "Aplio i800"),
    ),
    "mammography": (("Hologic", "3Dimensions"), ("GE HealthCare", "Senographe Pristina")),
    "fluoroscopy": (("Siemens Healthineers", "Luminos Agile Max"), ("Philips", "CombiDiagnost R90")),
    "dexa": (("Hologic", "Horizon A"), ("GE HealthCare", "Lunar iDXA")),
    "ecg": (("Philips", "PageWriter TC70"), ("GE HealthCare", "MAC 5500 HD")),
}
MAINTENANCE_INTERVAL = {
    "xray": 180,
    "ct": 90,
    "mri": 90,
    "ultrasound": 180,
    "mammography": 120,
    "fluoroscopy": 120,
    "dexa": 365,
    "ecg": 365,
}
BREAKDOWNS = (
    "Detector calibration fault",
    "Tube overheating",
    "Cooling system failure",
    "Software crash on boot",
    "Gantry rotation error",
    "Helium level warning",
    "Probe cable damage",
    "Power supply failure",
)
INFRA_WORK = (
    ("HVAC System Maintenance", "Minimal - backup systems available"),
    ("Generator load test", "None expected - after hours"),
    ("Network switch upgrade", "PACS unavailable for 2 hours"),
    ("Fire safety inspection", "None expected"),
)

EVENTS = (
    ("staff_session", "Nursing Education Session", 0.3, "Reduced afternoon capacity"),
    ("staff_session", "Radiation Safety Training", 0.4, "Imaging lists reduced"),
    ("training", "CPR and Emergency Response Refresher", 0.25, "Reduced capacity for 2 hours"),
    ("training", "New PACS Workflow Training", 0.2, "Slightly reduced capacity"),
    ("inspection", "Radiation Control Inspection", 0.15, "Imaging rooms inspected in turn"),
    ("community", "Breast Cancer Awareness Screening Day", 0.0, "Extra mammography demand"),
)

POSITIVE_COMMENTS = (
    "Very professional and friendly staff.",
    "Quick and efficient, thank you!",
    "The radiographer explained everything clearly.",
    "Clean facility and easy parking.",
    "Doctor took time to answer all my questions.",
    "Online booking was really easy.",
)
NEUTRAL_COMMENTS = (
    "Service was fine but parking was difficult.",
    "Okay overall, the waiting room was full.",
    "Good care, but the billing was a bit confusing.",
    "Reception could be more organised.",
)
NEGATIVE_COMMENTS = (
    "Waited far too long past my appointment time.",
    "Nobody told us why there was a delay.",
    "Long wait and the staff seemed rushed.",
    "I was surprised by the co-payment amount.",
    "Had to wait over an hour, very frustrating.",
)

APPOINTMENT_NOTES = (
    "Blood pressure check",
    "Review of recent results",
    "Patient anxious about the scan",
    "Wheelchair access needed",
    "Interpreter requested (isiZulu)",
    "Bring previous images",
    "Pregnancy status to confirm",
    "Contrast allergy: premedicate",
    "Diabetic: early slot preferred",
)

TICKETS = {
    "password_reset": (
        "Cannot log in after password change",
        "Password reset email not received",
        "Account locked",
    ),
    "scheduling": ("Appointment scheduling error", "Cannot reschedule online", "Booked slot disappeared"),
    "billing": ("Charged twice for one visit", "Medical aid portion not applied", "Invoice amount query"),
    "report_access": (
        "Cannot download my report",
        "Referring doctor cannot see report",
        "Report PDF will not open",
    ),
    "technical": ("Page loads slowly", "Notifications not arriving", "App error on dashboard"),
    "other": ("Update my contact details", "Request for medical records", "General feedback"),
}

USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
)

MESSAGES = (
    (
        "Blood Pressure Update",
        "Your recent readings show good improvement. Please continue your current medication.",
    ),
    ("Your scan results", "Your report is ready. The findings were discussed with your referring doctor."),
    ("Prescription refill", "I have approved your repeat prescription; it can be collected at the pharmacy."),
    ("Question about my medication", "Should I take my tablets before or after meals?"),
    ("Follow-up needed", "Please book a follow-up appointment within the next two weeks."),
    ("Lab results", "Your cholesterol levels are within the normal range."),
    ("Preparation for your scan", "Remember to fast for 6 hours before your ultrasound tomorrow."),
)

SAFETY_EVENTS = (
    ("incident", "minor", "Mild contrast reaction (urticaria), treated with antihistamine"),
    ("incident", "moderate", "Patient fall in the waiting area"),
    ("incident", "minor", "Extravasation of contrast at the cannula site"),
    ("near_miss", "minor", "Wrong patient identified at check-in, caught before the scan"),
    ("near_miss", "moderate", "MRI safety questionnaire missed a pacemaker; stopped at screening"),
    ("near_miss", "minor", "Request form for the wrong side, corrected before imaging"),
    ("incident", "major", "Repeat exposure due to incorrect protocol selection"),
)

SPECIALISATIONS_REFERRING = (
    "General Practitioner",
    "General Practitioner",
    "General Practitioner",
    "Orthopaedic Surgeon",
    "Gynaecologist",
    "Physician",
    "Paediatrician",
    "Neurologist",
    "Oncologist",
    "Urologist",
)
