"""The editor's screens, one module each: templates, editing, preview, media, library."""
