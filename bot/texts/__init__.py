"""Everything the bot says, one module per area, so a translation has one place to go."""
