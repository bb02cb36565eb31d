"""The clinical brief's red flags in plain words ("Red flags in words", docs/clinical-brief.md,
as changed by its "Amendments of December 2026").

They are the base of the "When to get help" page and the home page's emergency card, so
those pages are complete even before every article is written. Articles add their own red
flags on top (content.RedFlag). Keep these in step with the brief: it wins.
"""

from __future__ import annotations

EMERGENCY: list[str] = [
    "Signs of a stroke: the face drops on one side, sudden weakness or numbness in one arm "
    "or one leg, or speech is slurred or muddled",
    "Chest pain, sudden breathlessness, or coughing up blood, with or without a swollen calf",
    "A swollen, painful calf with a fast or pounding heartbeat, fainting, or feeling "
    "light-headed (a clot may have reached the lungs)",
    "A fluttering or irregular heartbeat with fainting, or with feeling dizzy or light-headed",
    "Numbness around your genitals or bottom, new trouble peeing or pooing, "
    "or weakness or numbness in both legs that is getting worse",
    "Pain from your lower back down both legs (sciatica in both legs)",
    "You have or have had cancer, and have back pain going down a leg with weakness or numbness",
    "A fit (seizure) happening now, one that lasts more than 5 minutes, "
    "or someone who does not wake up after a fit",
    "Tingling or weakness that starts in the feet and spreads up the legs",
    "Sudden trouble breathing or swallowing",
    "A stiff jaw or painful muscle spasms after a cut or wound",
    "New confusion, or being very drowsy and hard to wake",
    "Severe pain that does not stop, with tight swelling, after an injury or under a plaster cast",
    "A leg that is suddenly cold, pale and painful",
    "Dark, cola-coloured pee with muscle pain or weakness",
    "Muscle pain and no pee, or hardly any, for 8 hours or more, after hard exercise, "
    "on a statin, or with weak muscles",
    "Low blood sugar in diabetes that does not get better after a sugary drink or snack",
    "Seeing or hearing things that are not there, or a fit, after stopping heavy drinking",
    "After a new or higher dose of an antidepressant, a high temperature, a very fast or "
    "uneven heartbeat, or confusion, together with jerks, stiff muscles, shaking, agitation "
    "or sweating",
    "You take an antipsychotic medicine or lithium and have a high temperature with very "
    "stiff muscles or shaking",
]

URGENT: list[str] = [
    "One calf is swollen, painful, warm, red or darker than the other "
    "(this may be a blood clot), including in pregnancy",
    "Pregnant or had a baby in the last 6 weeks, and one calf is swollen and painful: "
    "call your midwife or maternity unit, or NHS 111, today",
    "A cramping or aching pain in one calf or thigh that does not go away, even with no "
    "swelling, if you have had a clot before, recent surgery or a long journey, take the "
    "pill or HRT, are pregnant or have cancer",
    "A cramp lasts longer than 10 minutes. Ask for an urgent GP appointment or call NHS 111",
    "A first fit that has now stopped",
    "A fluttering or irregular heartbeat with cramps or weak muscles, after being sick or "
    "diarrhoea, while on a water tablet, or with weight loss and feeling hot all the time",
    "No pee, or hardly any, for 8 hours or more",
    "Dizzy or light-headed every time you stand up, when you are dried out, being sick, "
    "have diarrhoea or take a water tablet",
    "Cramps after being sick or diarrhoea, or cramps on a water tablet (diuretic) with "
    "weakness, dizziness, a fluttering heartbeat, feeling dried out, or no pee for 8 hours",
    "You take a statin and have muscle pain, weakness or cramps you cannot explain",
    "After starting or raising an antidepressant: feeling agitated, sweaty or shivery, or new "
    "jerks, stiff muscles, shaking or a high temperature",
    "You take lithium or an antipsychotic and have two or more of: being sick or diarrhoea, "
    "shaking, blurred sight or poor balance, jerks, or weak or stiff muscles",
    "You stopped or cut down heavy drinking in the last few days, and now shake, sweat, "
    "feel very restless or get muscle jerks",
    "A weak leg, or weak muscles, getting worse over hours or days, even if it is only one leg",
    "You have or have had cancer, and get back pain that goes down a leg, or legs that are "
    "getting weaker",
    "Pregnant, with swelling in both legs and blurred sight or flashing lights, or a bad "
    "headache (possible pre-eclampsia): call your midwife, GP or NHS 111 now",
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
    "Cramps that often stop you sleeping, or come with numbness or swelling",
    "Cramps keep coming while you take a water tablet (diuretic). "
    "Ask your GP about a blood test to check your salts",
    "Your heartbeat flutters or feels irregular, and it keeps coming back or lasts a long time",
    "Feeling dizzy or light-headed every time you stand up, with none of the signs above",
    "Shaky, sweaty, hungry spells that get better after eating, with or without diabetes",
    "Restless legs that stop you sleeping or do not get better with self-care",
    "Shaking (tremor), slow movements or stiffness",
    "Jerky movements you cannot control, or a family history of Huntington's disease",
    "Burning, tingling or numb feet",
    "Signs of an overactive thyroid, such as weight loss, a fast heartbeat and feeling hot",
    "A tick bite, or a rash that spreads out in a ring",
    "A partner sees your legs kick or jerk again and again while you sleep",
]

BY_URGENCY: dict[str, list[str]] = {"emergency": EMERGENCY, "urgent": URGENT, "soon": SOON}
