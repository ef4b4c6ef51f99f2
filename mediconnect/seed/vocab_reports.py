"""Report wording per modality and typical referral indications."""

from __future__ import annotations

# Per modality: (finding, impression, recommendation, abnormal)
REPORT_TEXT: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "xray": (
        (
            "Lungs are clear. Heart size normal. No pleural effusion.",
            "Normal study.",
            "No further imaging required.",
            False,
        ),
        (
            "Patchy consolidation in the right lower lobe.",
            "Right lower lobe pneumonia.",
            "Clinical correlation; follow-up chest X-ray in 6 weeks.",
            True,
        ),
        (
            "Undisplaced fracture of the distal radius.",
            "Distal radius fracture.",
            "Orthopaedic referral; repeat X-ray in 2 weeks.",
            True,
        ),
        (
            "Joint space narrowing with osteophytes.",
            "Moderate degenerative change.",
            "Conservative management; consider MRI if symptoms persist.",
            True,
        ),
        (
            "Bones and soft tissues appear normal.",
            "No acute bony injury.",
            "No further imaging required.",
            False,
        ),
    ),
    "ultrasound": (
        (
            "Liver, gallbladder, pancreas, spleen and kidneys appear normal.",
            "Normal abdominal ultrasound.",
            "None.",
            False,
        ),
        (
            "Multiple echogenic foci with acoustic shadowing in the gallbladder.",
            "Cholelithiasis without cholecystitis.",
            "Surgical opinion if symptomatic.",
            True,
        ),
        (
            "Single intrauterine pregnancy with cardiac activity; biometry consistent with dates.",
            "Normal obstetric scan.",
            "Routine antenatal follow-up.",
            False,
        ),
        (
            "Solid hypoechoic thyroid nodule, 14 mm, TI-RADS 4.",
            "Indeterminate thyroid nodule.",
            "Ultrasound-guided FNA recommended.",
            True,
        ),
        (
            "Non-compressible femoral vein with echogenic thrombus.",
            "Acute deep vein thrombosis.",
            "Urgent anticoagulation; clinician informed.",
            True,
        ),
    ),
    "ct": (
        ("No intracranial haemorrhage, mass or midline shift.", "Normal CT brain.", "None.", False),
        (
            "Spiculated 18 mm nodule in the left upper lobe.",
            "Suspicious pulmonary nodule.",
            "CT-guided biopsy or PET-CT; multidisciplinary review.",
            True,
        ),
        (
            "Inflamed appendix measuring 11 mm with periappendiceal fat stranding.",
            "Acute appendicitis.",
            "Urgent surgical review; clinician informed.",
            True,
        ),
        (
            "Mild disc bulges at L4/5 without canal stenosis.",
            "Mild lumbar spondylosis.",
            "Physiotherapy.",
            False,
        ),
    ),
    "mri": (
        ("No abnormal signal; ventricles and sulci normal for age.", "Normal MRI brain.", "None.", False),
        (
            "L5/S1 posterolateral disc extrusion compressing the left S1 nerve root.",
            "L5/S1 disc extrusion with radiculopathy.",
            "Spinal surgical opinion.",
            True,
        ),
        (
            "Complex tear of the posterior horn of the medial meniscus.",
            "Medial meniscal tear.",
            "Orthopaedic referral.",
            True,
        ),
        (
            "Full-thickness supraspinatus tendon tear with 1 cm retraction.",
            "Rotator cuff tear.",
            "Orthopaedic referral.",
            True,
        ),
        ("Normal appearances of the imaged structures.", "No significant abnormality.", "None.", False),
    ),
    "mammography": (
        (
            "Scattered fibroglandular density. No suspicious mass or calcification.",
            "BI-RADS 1: negative.",
            "Routine screening in 1-2 years.",
            False,
        ),
        (
            "Benign-appearing calcifications bilaterally.",
            "BI-RADS 2: benign findings.",
            "Routine screening.",
            False,
        ),
        (
            "Irregular spiculated mass, 12 mm, upper outer quadrant of the left breast.",
            "BI-RADS 5: highly suggestive of malignancy.",
            "Ultrasound-guided core biopsy.",
            True,
        ),
        (
            "Focal asymmetry in the right breast.",
            "BI-RADS 0: incomplete.",
            "Diagnostic mammogram and ultrasound.",
            True,
        ),
    ),
    "fluoroscopy": (
        (
            "Normal swallowing mechanism; no stricture or hiatus hernia.",
            "Normal barium swallow.",
            "None.",
            False,
        ),
        (
            "Small sliding hiatus hernia with free reflux.",
            "Hiatus hernia with reflux.",
            "Proton pump inhibitor; gastroenterology if persistent.",
            True,
        ),
        ("Bilateral tubal patency with free spill.", "Patent fallopian tubes.", "None.", False),
    ),
    "dexa": (
        (
            "Lumbar spine T-score -0.8; femoral neck T-score -0.6.",
            "Normal bone density.",
            "Repeat in 5 years.",
            False,
        ),
        (
            "Lumbar spine T-score -1.9; femoral neck T-score -1.6.",
            "Osteopenia.",
            "Calcium, vitamin D and weight-bearing exercise; repeat in 2 years.",
            True,
        ),
        (
            "Lumbar spine T-score -2.8; femoral neck T-score -2.6.",
            "Osteoporosis.",
            "Start bisphosphonate therapy.",
            True,
        ),
    ),
    "ecg": (
        ("Sinus rhythm, rate 72/min, normal axis and intervals.", "Normal ECG.", "None.", False),
        (
            "Irregularly irregular rhythm without P waves, rate 96/min.",
            "Atrial fibrillation.",
            "Anticoagulation assessment.",
            True,
        ),
        (
            "ST depression of 1.5 mm in V4-V6 at peak exercise.",
            "Positive exercise stress test.",
            "Coronary angiography.",
            True,
        ),
    ),
}

INDICATIONS: dict[str, tuple[str, ...]] = {
    "xray": (
        "Persistent cough for 3 weeks",
        "Fall on outstretched hand",
        "Knee pain, ? osteoarthritis",
        "Chronic lower back pain",
    ),
    "ultrasound": (
        "Right upper quadrant pain",
        "Dating scan",
        "Palpable thyroid nodule",
        "Calf swelling, ? DVT",
        "Pelvic pain",
    ),
    "ct": (
        "Sudden severe headache",
        "Weight loss and haemoptysis",
        "Acute abdominal pain",
        "Chronic sinusitis",
    ),
    "mri": (
        "Sciatica not responding to treatment",
        "Knee locking after sports injury",
        "Shoulder pain and weakness",
        "Recurrent headaches with neurology",
    ),
    "mammography": ("Routine screening", "Palpable breast lump", "Family history of breast cancer"),
    "fluoroscopy": ("Dysphagia", "Subfertility work-up", "Reflux symptoms"),
    "dexa": ("Postmenopausal osteoporosis screening", "Long-term steroid use", "Low-trauma fracture"),
    "ecg": ("Palpitations", "Chest pain on exertion", "Pre-operative assessment"),
}
