"""The reporting side: pushing complaints out, taking status changes in, telling victims."""
