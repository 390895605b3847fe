"""The service layer: runs messages through storage and the conversation engine, and does
the work that follows (pushes to the reporting system, notices, awareness campaigns)."""
