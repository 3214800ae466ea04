"""Writes of licensing: loading the official list (``register``) and the applications to
customs (``applications``)."""
