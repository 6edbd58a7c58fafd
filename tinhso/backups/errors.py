class BackupError(Exception):
    """A backup, restore or check that cannot go on; the message is for the operator (Vietnamese)."""
