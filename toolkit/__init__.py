"""keyvigil: audits, investigates and reports on an organisation's API keys and credentials."""

__version__ = "0.1.0"
