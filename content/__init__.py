"""Articles: conditions, the findings people report, remedies, tests and sources, their
public pages and their admin. Knows nothing of the symptom checker (triage/), which reads it."""
