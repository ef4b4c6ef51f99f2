"""Clinical vocabularies: conditions and the medicines they lead to, allergies, lab panels,
report wording per modality, referral indications and health goals."""

from __future__ import annotations

# name, ICD-10, minimum age, prevalence weight for ages 18-49 / 50+, chronic medicines (any-of groups)
CONDITIONS: tuple[tuple[str, str, int, float, float, tuple[tuple[str, ...], ...]], ...] = (
    ("Hypertension", "I10", 25, 0.10, 0.40, (("Lisinopril", "Enalapril", "Losartan", "Amlodipine"),)),
    (
        "Type 2 diabetes mellitus",
        "E11.9",
        25,
        0.05,
        0.18,
        (("Metformin",), ("Gliclazide", "Insulin glargine")),
    ),
    ("Hyperlipidaemia", "E78.5", 30, 0.06, 0.25, (("Simvastatin", "Atorvastatin", "Rosuvastatin"),)),
    ("Asthma", "J45.9", 3, 0.08, 0.05, (("Salbutamol",), ("Budesonide inhaler",))),
    ("Osteoarthritis of knee", "M17.9", 40, 0.02, 0.15, (("Ibuprofen", "Diclofenac", "Paracetamol"),)),
    ("Low back pain", "M54.5", 18, 0.07, 0.08, (("Tramadol", "Ibuprofen", "Paracetamol"),)),
    ("Hypothyroidism", "E03.9", 18, 0.03, 0.07, (("Levothyroxine",),)),
    (
        "Atrial fibrillation",
        "I48.91",
        45,
        0.0,
        0.06,
        (("Warfarin",), ("Amiodarone", "Metoprolol", "Digoxin")),
    ),
    ("Gastro-oesophageal reflux disease", "K21.9", 18, 0.06, 0.08, (("Omeprazole",),)),
    ("Depression", "F32.9", 14, 0.07, 0.06, (("Sertraline", "Fluoxetine", "Citalopram"),)),
    ("Osteoporosis", "M81.0", 50, 0.0, 0.07, (("Alendronate",), ("Calcium carbonate",))),
    ("Chronic obstructive pulmonary disease", "J44.9", 45, 0.0, 0.05, (("Salbutamol",), ("Theophylline",))),
    ("Migraine", "G43.9", 12, 0.05, 0.02, (("Naproxen", "Paracetamol"),)),
    (
        "Heart failure",
        "I50.9",
        50,
        0.0,
        0.03,
        (("Lisinopril", "Enalapril"), ("Spironolactone",), ("Furosemide",)),
    ),
    ("Coronary artery disease", "I25.10", 45, 0.0, 0.06, (("Aspirin",), ("Clopidogrel",), ("Atorvastatin",))),
    ("Gout", "M10.9", 30, 0.01, 0.04, (("Allopurinol",),)),
    ("Rheumatoid arthritis", "M06.9", 25, 0.01, 0.02, (("Methotrexate",), ("Prednisone",))),
    ("Bipolar disorder", "F31.9", 18, 0.01, 0.01, (("Lithium carbonate",),)),
    ("Erectile dysfunction", "N52.9", 40, 0.01, 0.05, (("Sildenafil",),)),
    ("Stable angina", "I20.9", 45, 0.0, 0.03, (("Nitroglycerin", "Isosorbide mononitrate"),)),
)

# Short courses prescribed and finished (acute problems).
ACUTE_COURSES: tuple[tuple[str, str, int], ...] = (
    ("Amoxicillin", "500 mg", 7),
    ("Clarithromycin", "500 mg", 7),
    ("Ciprofloxacin", "500 mg", 5),
    ("Trimethoprim", "200 mg", 3),
    ("Metronidazole", "400 mg", 7),
    ("Fluconazole", "150 mg", 1),
    ("Prednisone", "40 mg", 5),
    ("Ibuprofen", "400 mg", 5),
    ("Tramadol", "50 mg", 5),
    ("Linezolid", "600 mg", 10),
    ("Itraconazole", "200 mg", 7),
)

DOSAGES: dict[str, tuple[str, int]] = {
    # name: (dosage, doses per day)
    "Warfarin": ("5 mg", 1),
    "Aspirin": ("81 mg", 1),
    "Clopidogrel": ("75 mg", 1),
    "Ibuprofen": ("400 mg", 3),
    "Diclofenac": ("50 mg", 2),
    "Naproxen": ("500 mg", 2),
    "Paracetamol": ("1 g", 3),
    "Tramadol": ("50 mg", 2),
    "Simvastatin": ("40 mg", 1),
    "Atorvastatin": ("20 mg", 1),
    "Rosuvastatin": ("10 mg", 1),
    "Sildenafil": ("50 mg", 1),
    "Nitroglycerin": ("0.4 mg", 1),
    "Isosorbide mononitrate": ("30 mg", 1),
    "Lisinopril": ("10 mg", 1),
    "Enalapril": ("10 mg", 2),
    "Losartan": ("50 mg", 1),
    "Spironolactone": ("25 mg", 1),
    "Hydrochlorothiazide": ("12.5 mg", 1),
    "Furosemide": ("40 mg", 1),
    "Potassium chloride": ("600 mg", 2),
    "Amlodipine": ("5 mg", 1),
    "Verapamil": ("80 mg", 3),
    "Metoprolol": ("50 mg", 2),
    "Amiodarone": ("200 mg", 1),
    "Digoxin": ("0.125 mg", 1),
    "Sertraline": ("50 mg", 1),
    "Fluoxetine": ("20 mg", 1),
    "Citalopram": ("20 mg", 1),
    "Methotrexate": ("15 mg", 1),
    "Allopurinol": ("300 mg", 1),
    "Azathioprine": ("50 mg", 1),
    "Lithium carbonate": ("400 mg", 2),
    "Metformin": ("850 mg", 2),
    "Insulin glargine": ("20 units", 1),
    "Gliclazide": ("80 mg", 2),
    "Levothyroxine": ("100 mcg", 1),
    "Calcium carbonate": ("1250 mg", 2),
    "Omeprazole": ("20 mg", 1),
    "Theophylline": ("200 mg", 2),
    "Salbutamol": ("100 mcg", 2),
    "Budesonide inhaler": ("200 mcg", 2),
    "Prednisone": ("5 mg", 1),
    "Alendronate": ("70 mg", 1),
}
FREQUENCY = {1: "Once daily", 2: "Twice daily", 3: "Three times daily"}

ALLERGIES: tuple[tuple[str, tuple[tuple[str, str], ...], float], ...] = (
    ("Penicillin", (("severe", "Anaphylaxis"), ("moderate", "Urticaria"), ("mild", "Rash")), 0.08),
    ("Iodinated contrast", (("severe", "Bronchospasm"), ("moderate", "Hives and itching")), 0.03),
    ("Sulfonamides", (("moderate", "Rash"), ("mild", "Itching")), 0.03),
    ("Latex", (("moderate", "Contact dermatitis"), ("severe", "Anaphylaxis")), 0.02),
    ("Aspirin", (("moderate", "Wheezing"), ("mild", "Stomach upset")), 0.02),
    ("Codeine", (("mild", "Nausea and vomiting"), ("moderate", "Itching")), 0.02),
    ("Peanuts", (("severe", "Anaphylaxis"), ("moderate", "Lip swelling")), 0.02),
    ("Shellfish", (("moderate", "Hives"), ("severe", "Throat swelling")), 0.015),
    ("Gadolinium contrast", (("mild", "Nausea"),), 0.005),
)

# Lab panels: name, fasting, prep hours, analytes (name, unit, low, high, sd-of-normal)
LAB_PANELS: tuple[tuple[str, bool, int, tuple[tuple[str, str, float, float], ...]], ...] = (
    (
        "Full blood count",
        False,
        0,
        (
            ("Haemoglobin", "g/dL", 12.0, 17.0),
            ("White cell count", "x10^9/L", 4.0, 11.0),
            ("Platelets", "x10^9/L", 150, 450),
        ),
    ),
    (
        "Lipid panel",
        True,
        12,
        (
            ("Total cholesterol", "mmol/L", 3.0, 5.0),
            ("LDL cholesterol", "mmol/L", 1.0, 3.0),
            ("HDL cholesterol", "mmol/L", 1.0, 2.5),
            ("Triglycerides", "mmol/L", 0.5, 1.7),
        ),
    ),
    ("HbA1c", False, 0, (("HbA1c", "%", 4.0, 6.4),)),
    ("Fasting glucose", True, 8, (("Glucose (fasting)", "mmol/L", 3.9, 5.5),)),
    (
        "Urea and electrolytes",
        False,
        0,
        (
            ("Sodium", "mmol/L", 135, 145),
            ("Potassium", "mmol/L", 3.5, 5.1),
            ("Creatinine", "umol/L", 60, 110),
            ("eGFR", "mL/min/1.73m2", 60, 120),
        ),
    ),
    ("Thyroid function", False, 0, (("TSH", "mIU/L", 0.4, 4.0), ("Free T4", "pmol/L", 12, 22))),
    ("INR", False, 0, (("INR", "ratio", 2.0, 3.0),)),
    (
        "Liver function tests",
        False,
        0,
        (("ALT", "U/L", 7, 56), ("AST", "U/L", 10, 40), ("Bilirubin", "umol/L", 3, 21)),
    ),
    ("Vitamin D", False, 0, (("25-OH vitamin D", "nmol/L", 75, 250),)),
    ("PSA", False, 0, (("PSA", "ng/mL", 0.0, 4.0),)),
)
LAB_LOCATIONS = ("MediConnect on-site laboratory", "Lancet Laboratories", "Ampath Laboratories", "PathCare")

GOALS: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    # goal, target, current, actions, linked condition
    (
        "Blood Pressure Control",
        "< 130/80",
        "138/88",
        ("Take medication daily", "Exercise 30 min, 3x/week", "Reduce sodium intake"),
        "Hypertension",
    ),
    (
        "HbA1c below 7%",
        "< 7.0%",
        "7.8%",
        ("Take metformin with meals", "Check glucose daily", "Cut sugary drinks"),
        "Type 2 diabetes mellitus",
    ),
    (
        "Lower LDL cholesterol",
        "< 2.6 mmol/L",
        "3.4 mmol/L",
        ("Take statin nightly", "Eat more fibre"),
        "Hyperlipidaemia",
    ),
    ("Lose 5 kg", "80 kg", "85 kg", ("Walk 8,000 steps daily", "Smaller portions"), ""),
    (
        "Improve asthma control",
        "No night symptoms",
        "2 nights/week",
        ("Use preventer inhaler twice daily", "Avoid triggers"),
        "Asthma",
    ),
    ("Stop smoking", "0 cigarettes", "10 a day", ("Nicotine replacement", "Join a support group"), ""),
)
