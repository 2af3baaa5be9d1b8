"""The DuckDB log backend: access-log readers and detections run as DuckDB SQL."""
