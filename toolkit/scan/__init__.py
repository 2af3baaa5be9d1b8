"""Secret scanning of folders and log files (next)."""
