"""Present: analysis results to what a reader sees: formatted figures, tables, charts, the
report sections and the briefing sections, in the report's language. Pure."""
