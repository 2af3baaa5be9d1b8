"""The seed's checklists, auto-evaluated where evidence exists, attested otherwise (next)."""
