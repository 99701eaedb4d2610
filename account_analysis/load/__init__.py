"""Load: dataset files (CSV, Excel, Parquet) to a validated Dataset. The only stage that
parses input: the data contract (schema), the readers, the group structure (hierarchy,
GLEIF links), account plans, and the DuckDB scan that proves a Parquet invoice file clean."""
