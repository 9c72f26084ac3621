"""Your data: download everything, bring it to another installation, or delete it all."""
