"""HTTP plumbing shared by every domain: dependencies, templates, i18n, CSRF, headers."""
