"""The clinical brief's red flags in plain words ("Red flags in words", docs/clinical-brief.md).

They are the base of the "When to get help" page and the home page's emergency card, so
those pages are complete even before every article is written. Articles add their own red
flags on top (content.RedFlag). Keep these in step with the brief: it wins.
"""

from __future__ import annotations

EMERGENCY: list[str] = [
    "Signs of a stroke: the face drops on one side, you cannot lift both arms, "
    "or speech is slurred or muddled",
    "Chest pain, sudden breathlessness, or coughing up blood, with or without a swollen calf",
    "Numbness around your genitals or bottom, new trouble peeing or pooing, "
    "or weakness in both legs that is getting worse",
    "A fit (seizure) happening now, one that lasts more than 5 minutes, "
    "or someone who does not wake up after a fit",
    "Tingling or weakness that starts in the feet and spreads up the legs",
    "Sudden trouble breathing or swallowing",
    "A stiff jaw or painful muscle spasms after a cut or wound",
    "New confusion, or being very drowsy and hard to wake",
    "Severe pain that does not stop, with tight swelling, after an injury or under a plaster cast",
    "A leg that is suddenly cold, pale and painful",
    "Dark, cola-coloured pee with muscle pain or weakness",
    "Low blood sugar in diabetes that does not get better after a sugary drink or snack",
    "Seeing or hearing things that are not there, or a fit, after stopping heavy drinking",
]

URGENT: list[str] = [
    "One calf is swollen, painful, warm, red or darker than the other "
    "(this may be a blood clot), including in pregnancy",
    "A first fit that has now stopped",
    "A heartbeat that feels irregular, with cramps or weakness",
    "Not peeing for 8 hours or more, or feeling dizzy when you stand up",
    "Tingling around your mouth, especially after surgery on your neck",
    "Foot drop (your foot drags or slaps down) that is getting worse over days",
    "Speech or swallowing that is slowly getting worse",
    "A dirty wound when you are not sure your tetanus jabs are up to date",
]

SOON: list[str] = [
    "A twitch that lasts more than 2 weeks, is in more than one place, "
    "or is in a muscle that is weak or stiff",
    "You think a medicine may be causing it (do not stop the medicine yourself)",
    "A muscle that is getting smaller (muscle wasting)",
    "Cramps that stop you sleeping, last more than 10 minutes, or come with numbness or swelling",
    "Restless legs that stop you sleeping or do not get better with self-care",
    "Shaking (tremor), slow movements or stiffness",
    "Jerky movements you cannot control, or a family history of Huntington's disease",
    "Burning, tingling or numb feet",
    "Signs of an overactive thyroid, such as weight loss, a fast heartbeat and feeling hot",
    "A tick bite, or a rash that spreads out in a ring",
    "A partner sees your legs kick or jerk again and again while you sleep",
]

BY_URGENCY: dict[str, list[str]] = {"emergency": EMERGENCY, "urgent": URGENT, "soon": SOON}
