"""The QA and publication pages, a module per part of the QA tab (see `dhr.pages`)."""
