"""The symptom checker: its pages, questions, rules and engine. Reads the articles (content/)
for findings and likely causes; content never imports it."""
