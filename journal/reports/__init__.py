"""What the entries add up to: trends, charts, weekly reviews and reminders."""
