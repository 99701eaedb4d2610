"""Authoring: tools for the analyst who curates the inputs: the demo dataset, account-plan
templates and parent-link suggestions. Beside the pipeline, not in it."""
