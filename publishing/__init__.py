"""What knows both content/ and triage/: loading the reviewed fixtures, backup and restore,
the receivers that raise the content version, and the editorial roles."""
