"""The policy document: its YAML model, loading, checking against the source text, and compiling
to the engine-neutral IR. Nothing here decides a subject."""
