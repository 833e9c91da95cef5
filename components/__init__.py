"""Cloud-neutral vocabulary of the platform: config, names, tags, zones and stage contracts."""
