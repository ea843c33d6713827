"""The action plan's pages, a module per tab. Each loads through the user's scope (404 outside
it), checks the role (403 for what the user may see but not change), calls one service and
redirects (see `dhr.pages`)."""
